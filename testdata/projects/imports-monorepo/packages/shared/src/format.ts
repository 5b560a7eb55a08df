export const formatDate = (s: string) => s;
