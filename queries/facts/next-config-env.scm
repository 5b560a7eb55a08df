; fact: next-config-env
; grammars: javascript, typescript, tsx
; captures: @hit (one entry of the object), @name (its key), @value (its value, if not shorthand)
; Entries of an `env: { … }` object in next.config.*: Next.js inlines every one of them into
; the client bundle, whatever its name.

(pair
  key: (property_identifier) @_env
  value: (object
    (pair
      key: [(property_identifier) (string (string_fragment)) ] @name
      value: (_) @value) @hit)
  (#eq? @_env "env"))

(pair
  key: (property_identifier) @_env
  value: (object
    (shorthand_property_identifier) @name @hit)
  (#eq? @_env "env"))
