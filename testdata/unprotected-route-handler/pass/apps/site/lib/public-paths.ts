export const publicPaths = ['/api/public(.*)']
