var a="sk_test_J2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7DxtpY";/* expect: secret-key-in-client */
