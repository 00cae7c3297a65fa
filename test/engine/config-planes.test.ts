// Each plane's token resource and endpoint, per cloud: the ARM token is for the cloud's own ARM
// resource, and a custom endpoint keeps the global resource name (as a custom Graph endpoint does).
import { describe, expect, it } from "vitest";
import { DEFAULT_CLIENT_ID, resolveConnection, type CloudName } from "../../electron/engine/config.js";

const base = { tenant: "contoso.com", clientId: DEFAULT_CLIENT_ID };

describe("planes in the connection", () => {
  it.each<[CloudName, string, string]>([
    ["global", "https://management.azure.com", "https://graph.microsoft.com"],
    ["usgov", "https://management.usgovcloudapi.net", "https://graph.microsoft.us"],
    ["china", "https://management.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn"],
  ])("%s: ARM at %s with a token for its .default, roles on the cloud's Graph", (cloud, arm, graph) => {
    const c = resolveConnection({ ...base, cloud });
    expect(c.armBaseUrl).toBe(arm);
    expect(c.planeScopes.azure).toEqual([`${arm}/.default`]);
    expect(c.planeScopes.role).toEqual([
      `${graph}/RoleEligibilitySchedule.Read.Directory`,
      `${graph}/RoleAssignmentSchedule.ReadWrite.Directory`,
      `${graph}/RoleManagementPolicy.Read.Directory`,
    ]);
    // Sign-in asks for the groups plane only.
    expect(c.scopes).toEqual(c.planeScopes.group);
    expect(c.scopes.every((s) => s.includes("AzureADGroup"))).toBe(true);
  });

  it("a custom ARM endpoint is used as given and keeps the global resource name", () => {
    const c = resolveConnection({
      ...base,
      cloud: "usgov",
      authorityHost: "https://127.0.0.1:8443",
      graphEndpoint: "https://127.0.0.1:8443",
      armEndpoint: "https://127.0.0.1:8443/arm/",
    });
    expect(c.armBaseUrl).toBe("https://127.0.0.1:8443/arm");
    expect(c.planeScopes.azure).toEqual(["https://management.azure.com/.default"]);
    expect(c.custom).toBe(true);
  });

  it("a custom sign-in or Graph endpoint without an ARM endpoint never points ARM at the real service", () => {
    const c = resolveConnection({ ...base, cloud: "global", graphEndpoint: "https://127.0.0.1:8443" });
    expect(c.armBaseUrl).toBeNull();
  });

  it("an ARM endpoint that is not https is refused with what to do", () => {
    expect(() => resolveConnection({ ...base, cloud: "global", armEndpoint: "http://127.0.0.1/arm" })).toThrow(
      /Azure Resource Manager endpoint must use https/,
    );
  });
});
