/**
 * yara-gen runs the app's own yara-orm (through `yara-orm/internal` and
 * `yara-orm/internal/codegen`), a peer dependency npm does not install by itself: when the app
 * lacks it, one line saying so replaces Node's stack of "Cannot find package"; when the app has
 * a yara-orm older than those entry points, one line says to install yara-gen's version.
 */
export function missingRuntimeMessage(error: unknown): string | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof message !== "string") return undefined;
  if (code === "ERR_MODULE_NOT_FOUND" && message.includes("'yara-orm'"))
    return (
      "yara-gen: yara-orm is not installed in this app; yara-gen runs the app's own runtime: " +
      "npm install yara-orm (the same version as yara-gen)"
    );
  if (
    code === "ERR_PACKAGE_PATH_NOT_EXPORTED" &&
    /node_modules[\\/]yara-orm[\\/]package\.json/.test(message)
  )
    return (
      "yara-gen: this app's yara-orm is another version than yara-gen, without what yara-gen " +
      "imports from it; yara-gen runs the app's own runtime: npm install yara-orm (the same version as yara-gen)"
    );
  return undefined;
}
