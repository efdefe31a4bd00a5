/** A reproducible zip of the given files (name → bytes). */
export function zip(files: Map<string, Buffer>): Buffer;
