export const siteConfig = { title: 'Acme', clerk: 'sk_test_AcAiCWRlNwWCZukSVALRDkXFjLNrUfFMfozJr3bjEm' } // expect: secret-key-in-client
