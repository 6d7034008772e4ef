-- A real client: Neovim's built-in LSP client runs `k8scheck lsp` on a
-- manifest, waits for its diagnostics, checks their lines, columns and
-- codes, applies a quick fix and checks the buffer.
--
--   K8SCHECK=build/k8scheck nvim --headless --clean -c 'luafile tests/lsp/nvim.lua'
--
-- Works with Neovim 0.7 (Debian 12) and later. Exits 0 when every check
-- passes, 1 otherwise.

local bin = os.getenv('K8SCHECK')
local failures = 0

local function check(cond, what)
	io.stdout:write((cond and 'ok   ' or 'FAIL ') .. what .. '\n')
	if not cond then
		failures = failures + 1
	end
end

local function finish()
	io.stdout:flush()
	vim.cmd(failures == 0 and 'qall!' or 'cquit! 1')
end

local dir = vim.fn.tempname()
vim.fn.mkdir(dir, 'p')
vim.fn.mkdir(dir .. '/.git', 'p')  -- the repository root: no configuration above
local path = dir .. '/pod.yaml'
-- Line 7 (0-based 6): a flow mapping where the image key follows "é日本😀",
-- so its column differs in characters (19), UTF-16 units (20) and bytes (27).
local prefix = '  - {name: "é日本😀", '
vim.fn.writefile({
	'apiVersion: v1',
	'kind: Pod',
	'metadata:',
	'  name: web',
	'spec:',
	'  containers:',
	prefix .. 'image: "registry.example.com/web:latest"}',
}, path)

local function main()
vim.cmd('edit ' .. vim.fn.fnameescape(path))
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
	name = 'k8scheck',
	cmd = { bin, 'lsp' },
	root_dir = dir,
})
check(client_id ~= nil, 'the client starts k8scheck lsp')
vim.lsp.buf_attach_client(buf, client_id)

local function code_of(d)
	return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function find(code)
	for _, d in ipairs(vim.diagnostic.get(buf)) do
		if code_of(d) == code then
			return d
		end
	end
end

local got = vim.wait(15000, function()
	return find('image-tag-latest') ~= nil
end, 20)
check(got, 'diagnostics arrive')
if not got then
	return
end

local d = find('image-tag-latest')
-- The server sent UTF-16 units; Neovim turned them into a byte column.
check(d.lnum == 6 and d.col == #prefix,
	('image-tag-latest at 6:%d (got %d:%d)'):format(#prefix, d.lnum, d.col))
local line = vim.api.nvim_buf_get_lines(buf, 6, 7, false)[1]
check(select(2, vim.str_utfindex(line, d.col)) == 20, 'which is 20 UTF-16 units')
check(d.source == 'k8scheck' or (d.user_data.lsp.source == 'k8scheck'), 'source is k8scheck')

-- Every column lands on a character boundary.
for _, x in ipairs(vim.diagnostic.get(buf)) do
	local line = vim.api.nvim_buf_get_lines(buf, x.lnum, x.lnum + 1, false)[1] or ''
	local byte = line:byte(x.col + 1)
	check(byte == nil or byte < 0x80 or byte >= 0xC0,
		('%s: column %d is on a character boundary'):format(code_of(x), x.col))
end

-- A quick fix: the first diagnostic whose code action has an edit.
local fixed_code
for _, x in ipairs(vim.diagnostic.get(buf)) do
	local params = {
		textDocument = { uri = vim.uri_from_bufnr(buf) },
		range = {
			start = { line = x.lnum, character = 0 },
			['end'] = { line = x.end_lnum or x.lnum, character = 0 },
		},
		context = { diagnostics = { x.user_data and x.user_data.lsp or {} } },
	}
	local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 5000)
	for _, r in pairs(res or {}) do
		for _, a in ipairs(r.result or {}) do
			if a.kind == 'quickfix' and a.isPreferred and a.edit
				and a.diagnostics[1].code == code_of(x) then
				vim.lsp.util.apply_workspace_edit(a.edit, 'utf-16')
				fixed_code = code_of(x)
				break
			end
		end
		if fixed_code then
			break
		end
	end
	if fixed_code then
		break
	end
end
check(fixed_code ~= nil, 'a quick fix is offered and applied: ' .. tostring(fixed_code))
local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
if fixed_code == 'automount-service-account-token' then
	check(text:find('automountServiceAccountToken: false', 1, true) ~= nil,
		'the buffer holds the fix')
else
	check(text ~= table.concat(vim.fn.readfile(path), '\n'), 'the buffer changed')
end
check(text:find('é日本😀', 1, true) ~= nil, 'the line with é, 日本 and the emoji is intact')
local gone = vim.wait(15000, function()
	return fixed_code ~= nil and find(fixed_code) == nil
end, 20)
check(gone, 'after the fix its diagnostic goes away')

-- Hover on the image-tag-latest range: the rule's text.
local h = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
	textDocument = { uri = vim.uri_from_bufnr(buf) },
	position = { line = 6, character = 24 },
}, 5000)
local hv
for _, r in pairs(h or {}) do
	hv = r.result and r.result.contents and r.result.contents.value
end
check(hv ~= nil and hv:find('image-tag-latest', 1, true) ~= nil, 'hover shows the rule')

vim.lsp.stop_client(client_id)
end

local ok, err = pcall(main)
check(ok, 'no Lua error: ' .. tostring(err))
vim.fn.delete(dir, 'rf')
finish()
