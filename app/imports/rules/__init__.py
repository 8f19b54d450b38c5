"""The importer's rules, each a module of functions over `app.imports.state.ParseState`; `app.imports.parser.RULES`
chains them."""
