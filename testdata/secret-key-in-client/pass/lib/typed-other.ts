export type Other = string
export const clerkSecret = 'sk_live_UWxG39JqGg9FKuUUU64nVRqpsnPaXk6Fym0RPeheSu'
