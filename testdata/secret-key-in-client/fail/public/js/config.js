window.CONFIG = { clerkSecret: "sk_test_LZDe1f8rESQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVp" } // expect: secret-key-in-client
