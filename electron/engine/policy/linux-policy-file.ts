import { readOwnedFile, type OwnerRule, type PolicyRead, type PolicySource } from "./policy-source.js";

// Linux: one JSON file an administrator (or Ansible, Puppet, Salt) writes as root. A file the user could
// have written is not policy, so it is refused as a whole, with the commands that fix it.

export const LINUX_POLICY_FILE = "/etc/pimtray/policy.json";

export class LinuxPolicyFile implements PolicySource {
  constructor(
    readonly path: string = LINUX_POLICY_FILE,
    private readonly rule: OwnerRule = { ownerUid: 0 },
    readonly name: string = path,
  ) {}

  async read(): Promise<PolicyRead> {
    const file = await readOwnedFile(this.path, this.rule);
    if (file.state === "absent") return { values: null, problems: [] };
    if (file.state !== "read") return { values: null, problems: [file.problem], refused: file.state === "refused" };
    let doc: unknown;
    try {
      doc = JSON.parse(file.bytes.toString("utf8"));
    } catch (e) {
      return {
        values: null,
        problems: [
          `${this.path} is not valid JSON (${(e as Error).message}); no policy in it applies. Check it with: python3 -m json.tool ${this.path}`,
        ],
      };
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc))
      return {
        values: null,
        problems: [
          `${this.path} must hold one JSON object of policy keys, e.g. {"TenantId": "contoso.com"}; nothing applies.`,
        ],
      };
    return { values: doc as Record<string, unknown>, problems: [] };
  }
}
