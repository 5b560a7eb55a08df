export const db: any = {}
