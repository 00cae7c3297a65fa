/** A failure that Graph reports in its error envelope. */
export class GraphFault extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
    /** Serialise as PIM's wrapped form: code UnknownError with this JSON inside message. */
    readonly wrapped = false,
  ) {
    super(message);
  }
}

export function missingScope(scopes: string[]): GraphFault {
  return new GraphFault(
    403,
    "PermissionScopeNotGranted",
    JSON.stringify({
      errorCode: "PermissionScopeNotGranted",
      message: `Authorization failed due to missing permission scope ${scopes.join(",")}.`,
      instanceAnnotations: [],
    }),
    true,
  );
}

export function notFound(path: string): GraphFault {
  return new GraphFault(400, "BadRequest", `Resource not found for the segment '${path.split("/").pop() ?? path}'.`);
}

export function methodNotAllowed(): GraphFault {
  return new GraphFault(405, "Request_BadRequest", "The HTTP method is not allowed for this resource.");
}
