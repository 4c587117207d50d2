import { z } from 'zod';
import { SNIPPET_NAME_MAX_LENGTH } from './storageConnection';

/**
 * The name becomes the blob name `<name>.json`, so it is kept to characters that are safe in a URL
 * path and on every file system, and can never climb out of the container (no slashes, no "..").
 */
export const snippetNameSchema = z
  .string()
  .min(1, { abort: true })
  .max(SNIPPET_NAME_MAX_LENGTH, { abort: true })
  .regex(/^[A-Za-z0-9._-]+$/, {
    error:
      'may contain only ASCII letters, digits, "-", "_" and "." (no slashes, spaces or other characters)',
  })
  .regex(/^[A-Za-z0-9]/, { error: 'must start with a letter or digit' })
  .refine((name) => !name.includes('..'), { error: 'must not contain ".."' });

/** The same character rule for a name prefix, which may be empty and may end anywhere. */
export const snippetPrefixSchema = z
  .string()
  .max(SNIPPET_NAME_MAX_LENGTH, { abort: true })
  .regex(/^[A-Za-z0-9._-]*$/, {
    error:
      'may contain only ASCII letters, digits, "-", "_" and "." (no slashes, spaces or other characters)',
  });
