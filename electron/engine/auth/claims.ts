/** Claims challenges for a step-up: what an activation asks of the sign-in before Graph accepts it. */

export const MFA_CLAIMS = JSON.stringify({ access_token: { amr: { essential: true, values: ["mfa"] } } });

export function acrsClaims(values: string[]): string {
  const acrs = values.length === 1 ? { essential: true, value: values[0] } : { essential: true, values };
  return JSON.stringify({ access_token: { acrs } });
}
