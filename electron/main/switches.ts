// Command-line switches an installed PIM Tray refuses: each opens a debugger or changes V8 in a
// process that holds tokens. Development builds keep them (they are how main is debugged).
const REFUSED = [
  /^--remote-debugging-(port|pipe|address)(=|$)/,
  /^--inspect(-brk|-port|-publish-uid|-wait)?(=|$)/,
  /^--js-flags(=|$)/,
];

/** The refused switches present in argv, without their values, for the message. */
export function refusedSwitches(argv: readonly string[]): string[] {
  return [...new Set(argv.filter((a) => REFUSED.some((r) => r.test(a))).map((a) => a.split("=")[0] ?? a))];
}
