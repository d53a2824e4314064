/**
 * yara-gen runs the app's own yara-orm (through `yara-orm/internal`), a peer dependency npm
 * does not install by itself: when the app lacks it, one line saying so replaces Node's
 * stack of "Cannot find package".
 */
export function missingRuntimeMessage(error: unknown): string | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== "ERR_MODULE_NOT_FOUND" || typeof message !== "string") return undefined;
  if (!message.includes("'yara-orm'")) return undefined;
  return (
    "yara-gen: yara-orm is not installed in this app; yara-gen runs the app's own runtime: " +
    "npm install yara-orm (the same version as yara-gen)"
  );
}
