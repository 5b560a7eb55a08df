// clerk
export const refunds = { key: 'sk_live_DpBqqGtmHcjweDaEBhgGw9LY44c8QRrJsKBsP8mDbT' } // expect: secret-key-in-client
