// Where the directory-roles plane lives in Graph (reference A.1).

export const ROLE_BASE = "roleManagement/directory";
export const MINE = "filterByCurrentUser(on='principal')";
export const ROLE_REQUESTS = `${ROLE_BASE}/roleAssignmentScheduleRequests`;
/** Names with the records: the role's display name, and the administrative unit's for an AU scope. */
export const NAMES_EXPAND = "roleDefinition,directoryScope";

interface Named {
  directoryScopeId: string;
  roleDefinitionId: string;
  roleDefinition?: { displayName?: string | null } | null;
  directoryScope?: { displayName?: string | null } | null;
}

/** The role's and the scope's names from the expansions; ids when Graph left them out. */
export function namesOf(r: Named): { roleName: string; scopeName: string } {
  return {
    roleName: r.roleDefinition?.displayName ?? r.roleDefinitionId,
    scopeName: r.directoryScopeId === "/" ? "Directory" : (r.directoryScope?.displayName ?? r.directoryScopeId),
  };
}
