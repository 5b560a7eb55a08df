; fact: env-reads
; grammars: javascript, typescript, tsx
; captures: @hit (the whole member/subscript expression), @name (the variable name)
; Reads of environment variables: `process.env.NAME`, `process.env['NAME']`,
; `import.meta.env.NAME`. Rust decides whether the name is public or secret.

; process.env.NAME
(member_expression
  object: (member_expression
    object: (identifier) @_process
    property: (property_identifier) @_env)
  property: (property_identifier) @name
  (#eq? @_process "process")
  (#eq? @_env "env")) @hit

; process.env["NAME"]
(subscript_expression
  object: (member_expression
    object: (identifier) @_process
    property: (property_identifier) @_env)
  index: (string (string_fragment) @name)
  (#eq? @_process "process")
  (#eq? @_env "env")) @hit

; import.meta.env.NAME
(member_expression
  object: (member_expression
    object: (meta_property)
    property: (property_identifier) @_env)
  property: (property_identifier) @name
  (#eq? @_env "env")) @hit
