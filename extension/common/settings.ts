import { UserFacingError } from './errors';

/** Reads one setting of the `remoteMcp` section; the VS Code side passes `workspace.getConfiguration`'s get. */
export type SettingReader = (key: string) => unknown;

/** A whole-number setting in [min, max]; a bad value is named with the range it must be in. */
export function integerSetting(
  get: SettingReader,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = get(key) ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new UserFacingError(
      `The setting remoteMcp.${key} is ${JSON.stringify(value)}; it must be a whole number from ${min} to ${max}.`,
    );
  }
  return value;
}
