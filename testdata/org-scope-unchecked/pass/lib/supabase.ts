type Chain = { [k: string]: (...a: unknown[]) => Chain } & PromiseLike<{ data: any; error: any }>
export declare const supabase: { from: (table: string) => Chain }
export declare function findUserByClerkId(clerkId: string): Promise<{ id: string } | null>
