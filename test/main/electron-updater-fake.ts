// A stand-in for the `electron-updater` module in the composition-root tests, as electron-fake.ts stands in for
// `electron`: boot.ts mocks the module with this file, so main's adapter loads it through its own import(), when
// the real one would be loaded. Its updater is test/update's AppUpdaterDouble (electron-updater 6.8.10's event
// names, order and quirks), tied to the Electron fake where electron-updater reads Electron itself:
// - the module's `autoUpdater` is a getter on the CommonJS exports (what Node's import() gives as `default`),
//   made on first access, as electron-updater's index.js makes it; the test reads `accesses` to know whether
//   main ever loaded it;
// - isUpdaterActive() follows `app.isPackaged` (a development run checks nothing and gets null);
// - quitAndInstall() quits the app, as BaseUpdater does (the install happens on quit).
import { app } from "electron";
import { AppUpdaterDouble } from "../update/app-updater-double.js";

export class FakeAutoUpdater extends AppUpdaterDouble {
  override isUpdaterActive(): boolean {
    this.packaged = app.isPackaged;
    return super.isUpdaterActive();
  }

  override quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    super.quitAndInstall(isSilent, isForceRunAfter);
    app.quit();
  }
}

/** The updater, for the test to set what the feed offers and read what main asked of it. */
export const updater = new FakeAutoUpdater();
// Quiet: AppUpdaterDouble logs to the console until main's adapter gives it its own logger.
updater.logger = null;

/** How many times main took `autoUpdater` from the module. */
export let accesses = 0;

const exportsObject = {
  get autoUpdater(): FakeAutoUpdater {
    accesses++;
    return updater;
  },
};
export default exportsObject;
