export const sign = (s: string | null) => `signed:${s}`;
