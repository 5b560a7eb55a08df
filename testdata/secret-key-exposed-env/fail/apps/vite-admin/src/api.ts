// Vite inlines every `import.meta.env.VITE_*` read into the bundle.
export const clerkAdmin = import.meta.env.VITE_CLERK_SECRET_KEY // expect: secret-key-exposed-env
