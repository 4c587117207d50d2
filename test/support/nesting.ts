/** `levels` arrays, each inside the one before: arguments nested as deeply as a test needs. */
export function nestedArrays(levels: number): unknown[] {
  let value: unknown[] = [];
  for (let level = 1; level < levels; level++) value = [value];
  return value;
}
