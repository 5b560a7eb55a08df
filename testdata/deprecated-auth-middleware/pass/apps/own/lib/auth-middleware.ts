export const authMiddleware = async () => {}
