@Content-Length: 126

{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {"general": {"positionEncodings": ["utf-8"]}}}}Content-Length: 57

{"jsonrpc": "2.0", "method": "initialized", "params": {}}Content-Length: 296

{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "file:///nonexistent/seed.yaml", "languageId": "yaml", "version": 1, "text": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"é日本😀\"\nspec:\n  containers:\n  - name: app\n    image: nginx:latest\n"}}}Content-Length: 263

{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": "file:///nonexistent/seed.yaml", "version": 2}, "contentChanges": [{"range": {"start": {"line": 7, "character": 18}, "end": {"line": 7, "character": 24}}, "text": "1.25"}]}}Content-Length: 251

{"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction", "params": {"textDocument": {"uri": "file:///nonexistent/seed.yaml"}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}, "context": {"diagnostics": []}}}Content-Length: 170

{"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover", "params": {"textDocument": {"uri": "file:///nonexistent/seed.yaml"}, "position": {"line": 6, "character": 4}}}Content-Length: 49

{"jsonrpc": "2.0", "id": 4, "method": "shutdown"}Content-Length: 36

{"jsonrpc": "2.0", "method": "exit"}