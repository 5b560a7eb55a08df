; fact: imports
; grammars: javascript, typescript, tsx
; captures: @hit (the `require` declarator), @source (the module string)
; CommonJS bindings (`const { auth } = require('@clerk/nextjs/server')`) of files that are
; parsed anyway. ES imports are not matched here: the byte-level scanner in
; src/facts/imports.rs records them for every file, and that one record serves the import graph
; and the name resolution of the code facts alike.

(variable_declarator
  value: (call_expression
    function: (identifier) @_require
    arguments: (arguments . (string) @source))
  (#eq? @_require "require")) @hit
