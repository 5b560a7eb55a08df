; fact: imports
; grammars: javascript, typescript, tsx
; captures: @hit (the import statement or the `require` declarator), @source (the module string)
; Module-level bindings from other modules, for resolving what a local name is (is `auth`
; Clerk's?). The byte-level scanner in src/facts/imports.rs finds imports for the import graph
; in every file; this query serves files that are parsed anyway.

(import_statement
  source: (string) @source) @hit

(variable_declarator
  value: (call_expression
    function: (identifier) @_require
    arguments: (arguments . (string) @source))
  (#eq? @_require "require")) @hit
