export const db: any = {};
export const catalog: any[] = [];
