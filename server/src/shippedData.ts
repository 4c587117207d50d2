import path from 'node:path';

/**
 * server/data, where the files that ship with the server live. The bundles run from server/dist and
 * this file from server/src, one level below server/ either way; azd deploys the folder (.funcignore
 * leaves it in) and the VSIX carries it (.vscodeignore).
 */
export const shippedDataDir = path.join(__dirname, '..', 'data');
