--- gazette: Neovim client for the gazette language server.
---
--- require("gazette").setup({
---   cmd = { "gazette", "lsp" },            -- or a path to the executable (string)
---   filetypes = { "text", "markdown" },
---   root_markers = { "gazette.toml", ".git" },
---   settings = { diagnostics = { unknownName = "off" } },  -- the "gazette" section
--- })
---
--- Uses vim.lsp.config()/vim.lsp.enable() on Neovim 0.11+, and a FileType
--- autocommand with vim.lsp.start() on older versions.

local M = {}

M.name = 'gazette'

--- The custom request listing all entities of the corpus.
M.ENTITIES_METHOD = 'gazette/entities'

--- Semantic token types sent by the server, in the order of its legend.
M.TOKEN_TYPES = { 'person', 'place', 'organization', 'figure' }

--- Highlight group each `@lsp.type.<type>` group is linked to (by default;
--- a colour scheme or the user can override them).
M.HIGHLIGHT_LINKS = {
  person = 'Identifier',
  place = 'Type',
  organization = 'Special',
  figure = 'Number',
}

--- The code action kind of the server's annotation actions; each action
--- is `refactor.annotate.<what>`.
M.ANNOTATE_KIND = 'refactor.annotate'

--- The frequent annotations: `:GazetteAnnotate {what}` and, with the
--- `keymaps` option, `{annotate_prefix}{key}` in normal and visual mode.
--- (`{annotate_prefix}a`: every annotation action, to choose from.)
M.ANNOTATIONS = {
  { what = 'person', key = 'p', desc = 'annotate as person' },
  { what = 'place', key = 'l', desc = 'annotate as place' },
  { what = 'organisation', key = 'o', desc = 'annotate as organisation' },
  { what = 'other', key = 'x', desc = 'annotate as other name' },
  { what = 'not-a-name', key = 'n', desc = 'annotate: not a name here' },
  { what = 'confirm', key = 'c', desc = 'annotate: confirm' },
}

--- The annotation store (at the corpus root); its buffer is attached to the
--- server so that an annotation takes effect before it is saved.
M.STORE_FILE = 'gazette.annotations.jsonl'

local defaults = {
  cmd = { 'gazette', 'lsp' },
  filetypes = { 'text', 'markdown' },
  root_markers = { 'gazette.toml', '.git' },
  --- Contents of the "gazette" settings section (include, exclude,
  --- diagnostics = { enable, nameVariants, figureDisagreement, unknownName },
  --- maxFileSize). Sent as initializationOptions and served to the server's
  --- `workspace/configuration` requests for the section "gazette".
  settings = {},
  --- initializationOptions; nil: the settings above.
  init_options = nil,
  --- Link the @lsp.type.* highlight groups (see M.HIGHLIGHT_LINKS).
  highlights = true,
  on_attach = nil,
  capabilities = nil,
  --- Buffer-local keymaps for the annotations (|gazette-annotate|) in
  --- buffers the server is attached to.
  keymaps = true,
  annotate_prefix = '<leader>a',
}

---@type table
M.config = vim.deepcopy(defaults)

local has_011 = vim.fn.has('nvim-0.11') == 1

--- Calls a method of an LSP client object: `client:m(...)` on 0.11+,
--- `client.m(...)` on older versions (where methods were closures).
local function call(client, name, ...)
  if has_011 then
    return client[name](client, ...)
  end
  return client[name](...)
end

local function get_clients(filter)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients(filter)
  end
  ---@diagnostic disable-next-line: deprecated
  return vim.lsp.get_active_clients(filter)
end

--- Normalises the `cmd` option: a string is the path of the executable.
---@param cmd string|string[]|function|nil
---@return string[]|function
function M.normalize_cmd(cmd)
  if cmd == nil then
    return vim.deepcopy(defaults.cmd)
  end
  if type(cmd) == 'string' then
    return { cmd, 'lsp' }
  end
  return cmd
end

--- Normalises the `settings` option to the shape Neovim's client wants
--- (`{ gazette = {...} }`); accepts the bare section too.
---@param settings table|nil
---@return table
function M.normalize_settings(settings)
  settings = settings or {}
  if type(settings[M.name]) ~= 'table' then
    settings = { [M.name] = settings }
  end
  return M.as_json_objects(settings)
end

--- Keys whose values are lists (globs); every other table in the settings is
--- a JSON object.
local LIST_KEYS = { include = true, exclude = true }

--- Deep copy in which empty tables become `vim.empty_dict()`, so that they
--- are sent as `{}` rather than `[]` (except for the glob lists).
---@param t table
---@return table
function M.as_json_objects(t)
  local out = {}
  for k, v in pairs(t) do
    if type(v) == 'table' and not LIST_KEYS[k] then
      out[k] = M.as_json_objects(v)
    else
      out[k] = vim.deepcopy(v)
    end
  end
  if next(out) == nil then
    return vim.empty_dict()
  end
  return out
end

--- The LSP client configuration built from M.config (without root_dir).
---@return table
function M.client_config()
  local c = M.config
  local settings = M.normalize_settings(c.settings)
  return {
    name = M.name,
    cmd = M.normalize_cmd(c.cmd),
    filetypes = vim.deepcopy(c.filetypes),
    root_markers = vim.deepcopy(c.root_markers),
    settings = settings,
    init_options = c.init_options or vim.deepcopy(settings[M.name]),
    on_attach = c.on_attach,
    capabilities = c.capabilities,
    workspace_required = false,
  }
end

--- Project root of a buffer: the nearest directory with one of the root
--- markers, or the buffer's directory.
---@param bufnr integer
---@return string|nil
function M.root_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return vim.fn.getcwd()
  end
  if vim.fs.root then
    for _, marker in ipairs(M.config.root_markers) do
      local root = vim.fs.root(bufnr, marker)
      if root then
        return root
      end
    end
  else
    for _, marker in ipairs(M.config.root_markers) do
      local found = vim.fs.find(marker, { upward = true, path = vim.fs.dirname(name) })[1]
      if found then
        return vim.fs.dirname(found)
      end
    end
  end
  return vim.fs.dirname(name)
end

--- Starts (or reuses) the gazette client for a buffer.
---@param bufnr integer
---@return integer|nil client id
function M.start(bufnr)
  if vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  local cfg = M.client_config()
  cfg.root_dir = M.root_dir(bufnr)
  cfg.root_markers = nil
  cfg.filetypes = nil
  cfg.workspace_required = nil
  return vim.lsp.start(cfg, { bufnr = bufnr })
end

local function link_highlights()
  for type_name, group in pairs(M.HIGHLIGHT_LINKS) do
    vim.api.nvim_set_hl(0, '@lsp.type.' .. type_name, { link = group, default = true })
  end
end

--- Gazette clients (optionally only those attached to a buffer).
---@param bufnr integer|nil
function M.clients(bufnr)
  return get_clients({ name = M.name, bufnr = bufnr })
end

local function pick_client()
  return M.clients(vim.api.nvim_get_current_buf())[1] or M.clients()[1]
end

local function is_method_not_found(err)
  return type(err) == 'table' and err.code == vim.lsp.protocol.ErrorCodes.MethodNotFound
end

--- Entity entries from a `gazette/entities` result.
---@param result any
---@return {id: string, name: string, kind: string, mentions: lsp.Location[]}[]
function M.parse_entities(result)
  local out = {}
  local list = type(result) == 'table' and result.entities or nil
  if type(list) ~= 'table' then
    return out
  end
  for _, e in ipairs(list) do
    if type(e) == 'table' and type(e.name) == 'string' then
      local mentions = {}
      for _, m in ipairs(type(e.mentions) == 'table' and e.mentions or {}) do
        if type(m) == 'table' and type(m.uri) == 'string' and type(m.range) == 'table' then
          mentions[#mentions + 1] = { uri = m.uri, range = m.range }
        end
      end
      out[#out + 1] = {
        id = e.id ~= nil and tostring(e.id) or e.name,
        name = e.name,
        kind = type(e.kind) == 'string' and e.kind or '',
        mentions = mentions,
      }
    end
  end
  return out
end

--- Entity entries from a `workspace/symbol` result (the fallback).
---@param result any
function M.parse_symbols(result)
  local out = {}
  if type(result) ~= 'table' then
    return out
  end
  for i, s in ipairs(result) do
    if type(s) == 'table' and type(s.name) == 'string' and type(s.location) == 'table' then
      local kind = s.containerName
      if type(kind) ~= 'string' or kind == '' then
        kind = vim.lsp.protocol.SymbolKind[s.kind] or 'symbol'
      end
      local loc = s.location
      out[#out + 1] = {
        id = s.name .. '#' .. i,
        name = s.name,
        kind = kind,
        -- an unresolved WorkspaceSymbol has no range: point at the file start
        mentions = {
          {
            uri = loc.uri,
            range = loc.range or {
              start = { line = 0, character = 0 },
              ['end'] = { line = 0, character = 0 },
            },
          },
        },
      }
    end
  end
  return out
end

--- Asks the server for all entities: `gazette/entities`, falling back to
--- `workspace/symbol` with an empty query when the server lacks the method.
---@param callback fun(err: any, entities: table[]|nil, client: table)
---@param bufnr integer|nil
function M.fetch_entities(callback, bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local client = M.clients(bufnr)[1] or M.clients()[1]
  if not client then
    callback('no gazette client is running', nil, nil)
    return
  end
  local function fallback()
    call(client, 'request', 'workspace/symbol', { query = '' }, function(err, result)
      if is_method_not_found(err) then
        callback('the server supports neither ' .. M.ENTITIES_METHOD .. ' nor workspace/symbol', nil, client)
      elseif err then
        callback(err, nil, client)
      else
        callback(nil, M.parse_symbols(result), client)
      end
    end, bufnr)
  end
  local ok = call(client, 'request', M.ENTITIES_METHOD, vim.empty_dict(), function(err, result)
    if is_method_not_found(err) then
      fallback()
    elseif err then
      callback(err, nil, client)
    else
      callback(nil, M.parse_entities(result), client)
    end
  end, bufnr)
  if not ok then
    fallback()
  end
end

--- Quickfix items for entities: one per entity, at its first mention.
---@param entities table[]
---@param offset_encoding string
---@param kind string|nil only entities of this kind
function M.entities_to_qf(entities, offset_encoding, kind)
  local firsts, by_loc = {}, {}
  for _, e in ipairs(entities) do
    if (kind == nil or kind == '' or e.kind == kind) and e.mentions[1] then
      local loc = e.mentions[1]
      firsts[#firsts + 1] = loc
      by_loc[loc] = e
    end
  end
  local items = vim.lsp.util.locations_to_items(firsts, offset_encoding)
  for _, item in ipairs(items) do
    local e = item.user_data and by_loc[item.user_data]
    if e then
      local files = {}
      local nfiles = 0
      for _, m in ipairs(e.mentions) do
        if not files[m.uri] then
          files[m.uri] = true
          nfiles = nfiles + 1
        end
      end
      item.text = string.format(
        '%s [%s] %d mention%s in %d article%s',
        e.name,
        e.kind,
        #e.mentions,
        #e.mentions == 1 and '' or 's',
        nfiles,
        nfiles == 1 and '' or 's'
      )
    end
  end
  -- keep the server's order (usually by importance), not file order
  local order = {}
  for i, e in ipairs(entities) do
    order[e] = i
  end
  table.sort(items, function(a, b)
    local ea, eb = a.user_data and by_loc[a.user_data], b.user_data and by_loc[b.user_data]
    return (ea and order[ea] or math.huge) < (eb and order[eb] or math.huge)
  end)
  return items
end

--- :GazetteEntities [kind]
---@param kind string|nil
function M.entities_command(kind)
  M.fetch_entities(function(err, entities, client)
    if err then
      vim.notify(
        'gazette: could not list entities: ' .. (type(err) == 'table' and (err.message or vim.inspect(err)) or tostring(err)),
        vim.log.levels.ERROR
      )
      return
    end
    local items = M.entities_to_qf(entities or {}, client.offset_encoding, kind)
    vim.fn.setqflist({}, ' ', { title = 'gazette entities' .. (kind and kind ~= '' and (' (' .. kind .. ')') or ''), items = items })
    if #items == 0 then
      vim.notify('gazette: no entities', vim.log.levels.INFO)
      return
    end
    vim.cmd('botright copen')
  end)
end

--- The gazette executable: the first word of `cmd`.
---@return string
local function executable()
  local cmd = M.config.cmd
  if type(cmd) == 'table' then
    return cmd[1]
  end
  return cmd
end

--- :GazetteReport [file] — writes the corpus map of the current buffer's
--- corpus (`gazette report ROOT -o FILE`, by default report.html in
--- Neovim's cache folder) and opens it in the browser (|vim.ui.open()|).
--- `opts.open = false` only writes it; `opts.on_done(err, file)` is called
--- at the end.
---@param file string|nil
---@param opts table|nil
function M.report(file, opts)
  opts = opts or {}
  local root = M.root_dir(vim.api.nvim_get_current_buf()) or vim.fn.getcwd()
  local out = (file and file ~= '') and vim.fn.fnamemodify(file, ':p')
    or vim.fs.joinpath(vim.fn.stdpath('cache'), 'gazette', 'report.html')
  vim.fn.mkdir(vim.fs.dirname(out), 'p')
  local function done(err)
    if opts.on_done then
      opts.on_done(err, out)
    end
  end
  local ok, started = pcall(vim.system, { executable(), 'report', root, '-o', out }, { text = true }, function(r)
    vim.schedule(function()
      if r.code ~= 0 then
        local msg = vim.trim(r.stderr or '')
        vim.notify('gazette report failed: ' .. (msg ~= '' and msg or ('exit code ' .. r.code)), vim.log.levels.ERROR)
        return done(msg ~= '' and msg or ('exit code ' .. r.code))
      end
      vim.notify('gazette: wrote ' .. out, vim.log.levels.INFO)
      if opts.open ~= false then
        local _, open_err = vim.ui.open(out)
        if open_err then
          vim.notify('gazette: could not open the report: ' .. open_err, vim.log.levels.WARN)
        end
      end
      done(nil)
    end)
  end)
  if not ok then
    vim.notify('gazette: cannot run ' .. executable() .. ': ' .. tostring(started), vim.log.levels.ERROR)
    done(tostring(started))
  end
end

--- :GazetteRestart — stops the gazette clients and starts them again for
--- the buffers they were attached to.
function M.restart()
  local bufs = {}
  local clients = M.clients()
  for _, client in ipairs(clients) do
    for buf in pairs(client.attached_buffers or {}) do
      bufs[#bufs + 1] = buf
    end
    call(client, 'stop')
  end
  vim.wait(3000, function()
    for _, client in ipairs(clients) do
      if not call(client, 'is_stopped') then
        return false
      end
    end
    return true
  end, 20)
  if #clients == 0 then
    -- nothing was running: start for the current buffer if it qualifies
    local buf = vim.api.nvim_get_current_buf()
    if vim.tbl_contains(M.config.filetypes, vim.bo[buf].filetype) then
      bufs[#bufs + 1] = buf
    end
  end
  for _, buf in ipairs(bufs) do
    if vim.api.nvim_buf_is_valid(buf) then
      M.start(buf)
    end
  end
end

--- Whether code action kind `kind` is `wanted` or below it in the
--- dot-separated hierarchy (as LSP's `context.only` matches kinds).
---@param kind any
---@param wanted string
---@return boolean
function M.kind_matches(kind, wanted)
  return type(kind) == 'string' and (kind == wanted or kind:sub(1, #wanted + 1) == wanted .. '.')
end

--- The annotation actions of kind `wanted` in a `textDocument/codeAction`
--- result: code actions (not commands) with an edit.
---@param result any
---@param wanted string
---@return table[]
function M.annotation_actions(result, wanted)
  local out = {}
  for _, a in ipairs(type(result) == 'table' and result or {}) do
    if
      type(a) == 'table'
      and type(a.title) == 'string'
      and type(a.command) ~= 'string'
      and type(a.edit) == 'table'
      and M.kind_matches(a.kind, wanted)
    then
      out[#out + 1] = a
    end
  end
  return out
end

--- Attaches the gazette client to a loaded buffer of the annotation store
--- of its corpus (the file at its root), so that the server reads the
--- buffer instead of the file.
---@param buf integer
local function attach_store(buf)
  local name = vim.api.nvim_buf_get_name(buf)
  if vim.fs.basename(name) ~= M.STORE_FILE or not vim.api.nvim_buf_is_loaded(buf) then
    return
  end
  local dir = vim.fs.dirname(name)
  for _, client in ipairs(M.clients()) do
    if client.root_dir and vim.fs.normalize(client.root_dir) == vim.fs.normalize(dir) then
      if not (client.attached_buffers or {})[buf] then
        vim.lsp.buf_attach_client(buf, client.id)
      end
    end
  end
end

--- Annotates the name at the cursor (or the selection): asks the server for
--- its annotation code actions of kind `refactor.annotate.{what}` (every
--- annotation action when `what` is nil) and applies the one it gets, or
--- the one chosen with |vim.ui.select()| when there are several. The server
--- decides what the annotation is; the edit goes to the annotation store's
--- buffer, which is attached to the server (saving it is up to you).
---
--- opts.range: `{ start = {row, col}, ['end'] = {row, col} }` (1-based
--- rows, 0-based byte columns, end inclusive) instead of the cursor;
--- opts.on_done(err, action): called at the end (err nil when applied).
---@param what string|nil
---@param opts table|nil
function M.annotate(what, opts)
  opts = opts or {}
  local function done(err, action)
    if err then
      vim.notify('gazette: ' .. err, vim.log.levels.WARN)
    end
    if opts.on_done then
      opts.on_done(err, action)
    end
  end
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.clients(bufnr)[1]
  if not client then
    return done('no gazette server is attached to this buffer')
  end
  local enc = client.offset_encoding or 'utf-16'
  local params
  if opts.range then
    params = vim.lsp.util.make_given_range_params(opts.range.start, opts.range['end'], bufnr, enc)
  else
    params = vim.lsp.util.make_range_params(0, enc)
  end
  local wanted = what and (M.ANNOTATE_KIND .. '.' .. what) or M.ANNOTATE_KIND
  params.context = { diagnostics = {}, only = { wanted }, triggerKind = 1 }
  local function apply(action)
    if not action then
      return done('nothing chosen')
    end
    vim.lsp.util.apply_workspace_edit(action.edit, enc)
    -- The edit loaded the store's buffer: let the server read it.
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      attach_store(b)
    end
    done(nil, action)
  end
  local sent = call(client, 'request', 'textDocument/codeAction', params, function(err, result)
    if err then
      return done('code actions failed: ' .. (err.message or vim.inspect(err)))
    end
    local actions = M.annotation_actions(result, wanted)
    if #actions == 0 then
      return done(
        string.format(
          'no %sannotation here: put the cursor on a name, or select the text to annotate',
          what and ('"' .. what .. '" ') or ''
        )
      )
    end
    if #actions == 1 then
      return apply(actions[1])
    end
    vim.ui.select(actions, {
      prompt = 'gazette: annotate',
      format_item = function(a)
        return a.title
      end,
    }, apply)
  end, bufnr)
  if not sent then
    done('the gazette server is not running')
  end
end

--- Range of the last visual selection (for commands given a range).
local function visual_range()
  local s, e = vim.fn.getpos("'<"), vim.fn.getpos("'>")
  local last = vim.fn.getline(e[2])
  local ecol = math.min(e[3], #last) -- `'>` is past the line in linewise mode
  return { start = { s[2], s[3] - 1 }, ['end'] = { e[2], math.max(ecol - 1, 0) } }
end

local function set_keymaps(buf)
  local prefix = M.config.annotate_prefix
  local function map(key, what, desc)
    vim.keymap.set('n', prefix .. key, function()
      M.annotate(what)
    end, { buffer = buf, desc = 'gazette: ' .. desc })
    vim.keymap.set('x', prefix .. key, function()
      -- Leave visual mode so that '< and '> are set, then annotate them.
      vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes('<Esc>', true, false, true), 'nx', false)
      M.annotate(what, { range = visual_range() })
    end, { buffer = buf, desc = 'gazette: ' .. desc })
  end
  for _, a in ipairs(M.ANNOTATIONS) do
    map(a.key, a.what, a.desc)
  end
  map('a', nil, 'annotate…')
end

-- The server's code lenses ("23 mentions in 4 articles") run
-- `gazette.showReferences` with (uri, position, locations): show them in the
-- quickfix list.
vim.lsp.commands['gazette.showReferences'] = function(command, ctx)
  local args = command.arguments or {}
  local locations = args[3] or {}
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  local encoding = client and client.offset_encoding or 'utf-16'
  local items = vim.lsp.util.locations_to_items(locations, encoding)
  vim.fn.setqflist({}, ' ', { title = 'gazette: references', items = items })
  vim.cmd('copen')
end

local function create_commands()
  vim.api.nvim_create_user_command('GazetteEntities', function(a)
    M.entities_command(a.args ~= '' and a.args or nil)
  end, {
    nargs = '?',
    desc = 'gazette: list entities in the quickfix list',
    complete = function()
      return M.TOKEN_TYPES
    end,
  })
  vim.api.nvim_create_user_command('GazetteRestart', M.restart, { desc = 'gazette: restart the server' })
  vim.api.nvim_create_user_command('GazetteAnnotate', function(a)
    M.annotate(a.args ~= '' and a.args or nil, { range = a.range > 0 and visual_range() or nil })
  end, {
    nargs = '?',
    range = true,
    desc = 'gazette: annotate the name at the cursor or the selection',
    complete = function()
      return vim.tbl_map(function(x)
        return x.what
      end, M.ANNOTATIONS)
    end,
  })
  vim.api.nvim_create_user_command('GazetteReport', function(a)
    M.report(a.args)
  end, { nargs = '?', complete = 'file', desc = 'gazette: write the corpus report and open it in the browser' })
end

--- Configures and enables the gazette client.
---@param opts table|nil
function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  -- lists replace the defaults rather than being merged index by index
  for _, key in ipairs({ 'filetypes', 'root_markers' }) do
    if opts and opts[key] then
      M.config[key] = vim.deepcopy(opts[key])
    end
  end
  if opts and opts.cmd then
    M.config.cmd = opts.cmd
  end

  create_commands()
  local group = vim.api.nvim_create_augroup('gazette', { clear = true })
  -- The annotation store's buffer, however it was loaded (a code action's
  -- edit, :edit), is attached to the server of its corpus.
  vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile' }, {
    group = group,
    pattern = '*/' .. M.STORE_FILE,
    callback = function(a)
      attach_store(a.buf)
    end,
  })
  vim.api.nvim_create_autocmd('LspAttach', {
    group = group,
    callback = function(a)
      local client = vim.lsp.get_client_by_id(a.data and a.data.client_id or -1)
      if not client or client.name ~= M.name then
        return
      end
      if M.config.keymaps and vim.fs.basename(vim.api.nvim_buf_get_name(a.buf)) ~= M.STORE_FILE then
        set_keymaps(a.buf)
      end
    end,
  })
  if M.config.highlights then
    link_highlights()
    vim.api.nvim_create_autocmd('ColorScheme', { group = group, callback = link_highlights })
  end

  if has_011 and vim.lsp.config and vim.lsp.enable then
    vim.lsp.config(M.name, M.client_config())
    vim.lsp.enable(M.name)
  else
    vim.api.nvim_create_autocmd('FileType', {
      group = group,
      pattern = M.config.filetypes,
      callback = function(a)
        M.start(a.buf)
      end,
    })
    for _, buf in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(M.config.filetypes, vim.bo[buf].filetype) then
        M.start(buf)
      end
    end
  end
end

return M
