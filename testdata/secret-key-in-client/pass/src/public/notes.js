// src/public is not the app's public/ directory.
export const k = 'sk_test_J2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7DxtpY'
