export type KeyConfig = { secret: string }
export const clerkSecret = 'sk_test_vFRJB0kPuKs3yAJrfjYJNtOYuEoh2ykPz0gRjgTVVN'
