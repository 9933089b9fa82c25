-- Opens a Dockerfile in headless Neovim with the go-dockerfile-cache language server attached,
-- waits for its diagnostics and prints them as one JSON line on stdout. Exits 1 when none arrive.
--
--   GDC_DOCKERFILE=path/to/Dockerfile nvim --headless --clean -u NONE -c 'luafile test/nvim/diagnostics.lua'
--
-- GDC_SERVER (default server/out/server.js), GDC_NODE (default node) and GDC_TIMEOUT_MS
-- (default 20000) change what is started and how long to wait.
local file = assert(os.getenv('GDC_DOCKERFILE'), 'set GDC_DOCKERFILE to the Dockerfile to open')
local server = os.getenv('GDC_SERVER') or 'server/out/server.js'
local node = os.getenv('GDC_NODE') or 'node'
local timeout = tonumber(os.getenv('GDC_TIMEOUT_MS') or '20000')

vim.cmd('edit ' .. vim.fn.fnameescape(file))
vim.bo.filetype = 'dockerfile'

local config = {
  name = 'go-dockerfile-cache',
  cmd = { node, server, '--stdio' },
  root_dir = vim.fn.fnamemodify(file, ':p:h'),
}
local client_id
if vim.lsp.start then
  client_id = vim.lsp.start(config)
else
  -- Neovim before 0.8 has no vim.lsp.start.
  client_id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(0, client_id)
end

local arrived = vim.wait(timeout, function()
  return #vim.diagnostic.get(0) > 0
end, 50)

local diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(diagnostics, {
    code = d.code or lsp.code,
    source = d.source or lsp.source,
    severity = d.severity,
    lnum = d.lnum,
    col = d.col,
    end_lnum = d.end_lnum,
    end_col = d.end_col,
    message = d.message,
  })
end
io.stdout:write(vim.json.encode(diagnostics) .. '\n')

vim.lsp.stop_client(client_id, true)
if arrived then
  vim.cmd('qall!')
else
  io.stderr:write('no diagnostics within ' .. timeout .. ' ms\n')
  vim.cmd('cquit 1')
end
