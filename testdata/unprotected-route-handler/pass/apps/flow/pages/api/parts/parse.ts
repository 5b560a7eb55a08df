export const parse = (s: string) => Number(s)
