export const k = "sk_live_SkHbn88HxjSI6bWHtP3fS2qHx6kwXoIIXGvOoNZYW2"
