-- End-to-end test of the gazette server in a real headless Neovim (>= 0.11).
--
--   GAZETTE_BIN=target/debug/gazette nvim --headless -u NONE -l tests/e2e/nvim_e2e.lua
--
-- Copies the seed articles into a fresh workspace (with a gazette.toml),
-- loads editors/nvim with require("gazette").setup{cmd = {GAZETTE_BIN, "lsp"}},
-- opens seeds/003_f9ffb56e64ea0352.txt and checks, through Neovim's own LSP
-- client: attach, semantic token legend, hover card, go to definition into
-- another article, references from several articles, semantic highlighting,
-- :GazetteEntities, :GazetteReport, annotating a mention through the
-- server's code actions (the hover changes) and :GazetteRestart. Exits
-- non-zero with a message on failure.
--
-- Environment:
--   GAZETTE_BIN          server executable (default: target/debug/gazette)
--   GAZETTE_E2E_TIMEOUT  global timeout in seconds (default 180)
--   GAZETTE_E2E_LOG      if set, Neovim's LSP log level is set to DEBUG

local uv = vim.uv or vim.loop

local function script_dir()
  local src = debug.getinfo(1, 'S').source:sub(2)
  return vim.fs.dirname(vim.fn.fnamemodify(src, ':p'))
end

local repo = vim.fs.normalize(script_dir() .. '/../..')
repo = vim.fn.fnamemodify(repo, ':p'):gsub('/$', '')

local function log(fmt, ...)
  io.stdout:write(string.format(fmt, ...) .. '\n')
  io.stdout:flush()
end

local function die(fmt, ...)
  io.stderr:write('nvim e2e: FAILED: ' .. string.format(fmt, ...) .. '\n')
  io.stderr:flush()
  os.exit(1)
end

if vim.fn.has('nvim-0.11') ~= 1 then
  die('Neovim >= 0.11 required, this is %s', tostring(vim.version()))
end

-- Global timeout: a libuv timer fires even while vim.wait() blocks.
local timeout_s = tonumber(os.getenv('GAZETTE_E2E_TIMEOUT') or '') or 180
local watchdog = uv.new_timer()
watchdog:start(timeout_s * 1000, 0, function()
  io.stderr:write(string.format('nvim e2e: FAILED: global timeout of %d s reached\n', timeout_s))
  io.stderr:flush()
  os.exit(124)
end)

local bin = os.getenv('GAZETTE_BIN')
if not bin or bin == '' then
  bin = repo .. '/target/debug/gazette'
end
bin = vim.fn.fnamemodify(bin, ':p')
if vim.fn.executable(bin) ~= 1 then
  die('gazette binary not found or not executable: %s (set GAZETTE_BIN)', bin)
end

-- Workspace: a copy of the seeds with a gazette.toml, so the root marker
-- picks this folder and nothing else gets indexed.
local seeds = repo .. '/seeds'
local ws = vim.fn.tempname() .. '-gazette-e2e'
vim.fn.mkdir(ws, 'p')
local nseeds = 0
for name, type_ in vim.fs.dir(seeds) do
  if type_ == 'file' and name:match('%.txt$') then
    assert(uv.fs_copyfile(seeds .. '/' .. name, ws .. '/' .. name))
    nseeds = nseeds + 1
  end
end
if nseeds < 2 then
  die('need at least 2 seed articles in %s, found %d', seeds, nseeds)
end
-- The server's persistent index goes beside the workspace and is removed
-- with it (by default it would stay in the user's cache folder).
local cache_dir = ws .. '-cache'
vim.env.GAZETTE_CACHE_DIR = cache_dir
local f = assert(io.open(ws .. '/gazette.toml', 'w'))
f:write('# gazette workspace for the Neovim end-to-end test\n')
f:close()
log('workspace %s (%d articles), server %s', ws, nseeds, bin)

if os.getenv('GAZETTE_E2E_LOG') then
  if vim.lsp.log and vim.lsp.log.set_level then
    vim.lsp.log.set_level('debug')
  else
    vim.lsp.set_log_level('debug')
  end
  log('LSP log: %s', vim.lsp.get_log_path())
end

-- Progress: remember when the server ends a work done progress.
local progress = { begun = 0, ended = 0 }
vim.api.nvim_create_autocmd('LspProgress', {
  callback = function(ev)
    local value = ev.data and ev.data.params and ev.data.params.value or {}
    if value.kind == 'begin' then
      progress.begun = progress.begun + 1
    elseif value.kind == 'end' then
      progress.ended = progress.ended + 1
    end
  end,
})

vim.opt.runtimepath:prepend(repo .. '/editors/nvim')
vim.cmd('filetype on')
local gazette = require('gazette')
gazette.setup({ cmd = { bin, 'lsp' } })

local passed, failed = 0, 0
local function check(name, fn)
  local ok, err = pcall(fn)
  if ok then
    passed = passed + 1
    log('ok   %s', name)
  else
    failed = failed + 1
    io.stderr:write(string.format('FAIL %s: %s\n', name, tostring(err)))
    io.stderr:flush()
  end
  return ok
end

local function finish()
  for _, c in ipairs(vim.lsp.get_clients({ name = 'gazette' })) do
    c:stop()
  end
  vim.wait(3000, function()
    return #vim.lsp.get_clients({ name = 'gazette' }) == 0
  end, 50)
  vim.fn.delete(ws, 'rf')
  vim.fn.delete(cache_dir, 'rf')
  log('nvim e2e: %d passed, %d failed', passed, failed)
  os.exit(failed == 0 and 0 or 1)
end

-- Open the article.
local article = ws .. '/003_f9ffb56e64ea0352.txt'
if vim.fn.filereadable(article) ~= 1 then
  die('seed article missing: %s', article)
end
vim.cmd.edit(vim.fn.fnameescape(article))
local buf = vim.api.nvim_get_current_buf()
local buf_uri = vim.uri_from_bufnr(buf)

local client
if
  not check('client attaches', function()
    assert(vim.bo[buf].filetype == 'text', 'filetype is ' .. vim.bo[buf].filetype)
    local ok = vim.wait(30000, function()
      client = vim.lsp.get_clients({ bufnr = buf, name = 'gazette' })[1]
      return client ~= nil and client.initialized == true
    end, 50)
    assert(ok, 'no initialised gazette client attached to the buffer within 30 s (see :LspLog)')
    assert(client.root_dir == ws, 'root_dir is ' .. tostring(client.root_dir) .. ', expected ' .. ws)
  end)
then
  finish()
end
log('attached: client %d, offset encoding %s', client.id, client.offset_encoding)

check('semantic token legend has person/place/organization/figure', function()
  local p = client.server_capabilities.semanticTokensProvider
  assert(p and p.legend, 'server has no semanticTokensProvider')
  local have = {}
  for _, t in ipairs(p.legend.tokenTypes) do
    have[t] = true
  end
  for _, t in ipairs(gazette.TOKEN_TYPES) do
    assert(have[t], 'token type missing from legend: ' .. t .. ' (legend: ' .. table.concat(p.legend.tokenTypes, ', ') .. ')')
  end
  local hl = vim.api.nvim_get_hl(0, { name = '@lsp.type.person' })
  assert(hl.link == gazette.HIGHLIGHT_LINKS.person, '@lsp.type.person is not linked')
end)

-- Cursor on a short mention ("so Stoltenberg"), not the full name, so the
-- hover has to know the entity behind the surname.
local function find_in_buffer(pattern)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local s = line:find(pattern)
    if s then
      return i, s - 1, line
    end
  end
end
local row, pre_col = find_in_buffer('so Stoltenberg')
if not row then
  row, pre_col = find_in_buffer('Stoltenberg')
  pre_col = pre_col - 3
end
assert(row, 'no "Stoltenberg" in the article')
local name_col = pre_col + 3 -- byte column of "Stoltenberg"
vim.api.nvim_win_set_cursor(0, { row, name_col + 2 })

local function position_params()
  local p = vim.lsp.util.make_position_params(0, client.offset_encoding)
  return p
end

local function request(method, params, timeout)
  local res, err = vim.lsp.buf_request_sync(buf, method, params, timeout or 10000)
  if not res then
    error(method .. ': no answer (' .. tostring(err) .. ')')
  end
  local r = res[client.id]
  if not r then
    error(method .. ': no answer from the gazette client')
  end
  if r.err or r.error then
    error(method .. ': error ' .. vim.inspect(r.err or r.error))
  end
  return r.result
end

local function hover_text(result)
  if type(result) ~= 'table' then
    return ''
  end
  local c = result.contents
  local parts = {}
  local function add(x)
    if type(x) == 'string' then
      parts[#parts + 1] = x
    elseif type(x) == 'table' and x.value then
      parts[#parts + 1] = x.value
    elseif type(x) == 'table' then
      for _, y in ipairs(x) do
        add(y)
      end
    end
  end
  add(c)
  return table.concat(parts, '\n')
end

-- Hover, polled: the server may still be indexing the corpus.
local hover = ''
check('hover on "Stoltenberg" shows a card for Jens Stoltenberg', function()
  -- Poll with an explicit loop (a request inside a vim.wait() condition
  -- would be re-sent on every event): the server may still be indexing.
  local last_err
  local deadline = uv.now() + 60000
  repeat
    local ok2, res = pcall(request, 'textDocument/hover', position_params(), 5000)
    if ok2 then
      hover = hover_text(res)
      last_err = nil
    else
      last_err = res
    end
    if hover:find('Jens Stoltenberg', 1, true) then
      return
    end
    vim.wait(300)
    uv.update_time()
  until uv.now() > deadline
  error(
    'hover card does not contain "Jens Stoltenberg" after 60 s; last card: '
      .. vim.inspect(hover)
      .. (last_err and (', last error: ' .. tostring(last_err)) or '')
  )
end)
log('progress: %d begun, %d ended; hover card:\n  %s', progress.begun, progress.ended, (hover:gsub('\n', '\n  ')))

local function loc_uri(l)
  return l.uri or l.targetUri
end
local function loc_range(l)
  return l.targetSelectionRange or l.range or l.targetRange
end
local function as_list(result)
  if type(result) ~= 'table' then
    return {}
  end
  if result.uri or result.targetUri then
    return { result }
  end
  return result
end

-- The text a location covers, read through Neovim (handles the encoding).
local function location_text(l)
  local items = vim.lsp.util.locations_to_items({ l }, client.offset_encoding)
  local it = items[1]
  if it.lnum == it.end_lnum then
    return it.text:sub(it.col, it.end_col - 1)
  end
  return it.text:sub(it.col)
end

check('definition of "Stoltenberg" is in another article', function()
  -- Cross-article answers need the whole corpus: wait for indexing to end
  -- (the open article itself is answered at once, before that).
  local indexed = vim.wait(240000, function() return progress.ended >= 1 end, 100)
  assert(indexed, 'indexing did not finish within 240 s')
  local defs = as_list(request('textDocument/definition', position_params()))
  assert(#defs > 0, 'no definition')
  local target
  for _, d in ipairs(defs) do
    if loc_uri(d) ~= buf_uri then
      target = d
      break
    end
  end
  assert(target, 'all definitions are in the same file: ' .. vim.inspect(defs))
  local covered = location_text(target)
  assert(covered:find('Stoltenberg', 1, true), 'definition range covers ' .. vim.inspect(covered) .. ', not the name')
  -- Jump like the user would (gd), and look where we landed.
  local loc = { uri = loc_uri(target), range = loc_range(target) }
  vim.lsp.util.show_document(loc, client.offset_encoding, { focus = true })
  local landed = vim.api.nvim_buf_get_name(0)
  assert(vim.uri_from_fname(landed) == loc.uri, 'landed in ' .. landed)
  assert(landed ~= article, 'still in the same article')
  local line = vim.api.nvim_get_current_line()
  assert(line:find('Stoltenberg', 1, true), 'cursor line does not name Stoltenberg: ' .. line)
  log('definition: %s:%d', vim.fn.fnamemodify(landed, ':t'), vim.api.nvim_win_get_cursor(0)[1])
  -- back to the article
  vim.api.nvim_set_current_buf(buf)
  vim.api.nvim_win_set_cursor(0, { row, name_col + 2 })
end)

check('references to "Stoltenberg" come from several articles', function()
  local params = position_params()
  params.context = { includeDeclaration = true }
  local refs = as_list(request('textDocument/references', params))
  local files, nfiles = {}, 0
  for _, r in ipairs(refs) do
    local u = loc_uri(r)
    if not files[u] then
      files[u] = true
      nfiles = nfiles + 1
    end
    local covered = location_text(r)
    assert(
      covered:find('Stoltenberg', 1, true),
      'reference ' .. u .. ':' .. (loc_range(r).start.line + 1) .. ' covers ' .. vim.inspect(covered)
    )
  end
  assert(files[buf_uri], 'references do not include the article itself')
  assert(nfiles >= 3, string.format('references come from %d article(s), expected >= 3', nfiles))
  log('references: %d in %d articles', #refs, nfiles)
end)

check('"Stoltenberg" is highlighted as a person (semantic tokens)', function()
  local function has_person()
    for _, t in ipairs(vim.lsp.semantic_tokens.get_at_pos(buf, row - 1, name_col + 2) or {}) do
      if t.type == 'person' then
        return true
      end
    end
    return false
  end
  local ok = has_person()
  local tries = 0
  while not ok and tries < 15 do
    -- tokens computed before indexing finished may be stale: ask again
    vim.lsp.semantic_tokens.force_refresh(buf)
    ok = vim.wait(1000, has_person, 50)
    tries = tries + 1
  end
  assert(ok, 'no "person" semantic token at the mention: ' .. vim.inspect(vim.lsp.semantic_tokens.get_at_pos(buf, row - 1, name_col + 2)))
end)

check(':GazetteEntities fills the quickfix list', function()
  vim.fn.setqflist({}, 'r', { title = 'empty', items = {} })
  vim.cmd('GazetteEntities')
  local ok = vim.wait(15000, function()
    return vim.fn.getqflist({ title = 0 }).title:find('gazette entities', 1, true) ~= nil
  end, 50)
  assert(ok, 'quickfix list not filled within 15 s')
  local items = vim.fn.getqflist()
  assert(#items > 0, 'no entities in the quickfix list')
  local found = false
  for _, it in ipairs(items) do
    if it.text:find('Stoltenberg', 1, true) then
      found = true
      break
    end
  end
  assert(found, 'no quickfix entry for Stoltenberg among ' .. #items .. ' entries')
  log('entities: %d in the quickfix list', #items)
end)

check(':GazetteReport writes the corpus report', function()
  local out = vim.fn.tempname() .. '.html'
  local result
  require('gazette').report(out, {
    open = false,
    on_done = function(err, file)
      result = { err = err, file = file }
    end,
  })
  assert(vim.wait(60000, function()
    return result ~= nil
  end, 50), 'gazette report did not finish within 60 s')
  assert(result.err == nil, 'gazette report failed: ' .. tostring(result.err))
  local html = table.concat(vim.fn.readfile(result.file), '\n')
  assert(html:find('gazette-data', 1, true), 'no data block in ' .. result.file)
  assert(html:find('Stoltenberg', 1, true), 'no Stoltenberg in the report')
  assert(vim.fn.exists(':GazetteReport') == 2, ':GazetteReport is not defined')
  log('report: %d bytes', #html)
end)

-- Annotation through the server's code actions: "Brüssel" (a place) is
-- marked as an organisation with require('gazette').annotate(), the hover
-- says so; then `:GazetteAnnotate not-a-name` replaces that annotation and
-- the hover card is gone. The edits go to the store's buffer, unsaved.
local store = ws .. '/gazette.annotations.jsonl'
local function annotate_sync(what)
  local res
  require('gazette').annotate(what, {
    on_done = function(err, action)
      res = { err = err, action = action }
    end,
  })
  assert(vim.wait(15000, function()
    return res ~= nil
  end, 50), 'annotate(' .. tostring(what) .. ') did not finish within 15 s')
  assert(res.err == nil, 'annotate(' .. tostring(what) .. '): ' .. tostring(res.err))
  return res.action
end
local function store_lines()
  local sb = vim.fn.bufnr(store)
  if sb < 0 or not vim.api.nvim_buf_is_loaded(sb) then
    return {}, sb
  end
  local out = {}
  for _, l in ipairs(vim.api.nvim_buf_get_lines(sb, 0, -1, false)) do
    if l ~= '' then
      out[#out + 1] = l
    end
  end
  return out, sb
end
-- Polls the hover at the cursor until `pred(card)` holds.
local function hover_until(what, pred)
  local card = ''
  local deadline = uv.now() + 30000
  repeat
    card = hover_text(request('textDocument/hover', position_params(), 5000))
    if pred(card) then
      return card
    end
    vim.wait(200)
    uv.update_time()
  until uv.now() > deadline
  error(what .. ' within 30 s; last card: ' .. vim.inspect(card))
end

check('annotation actions are picked by kind', function()
  local g = require('gazette')
  assert(g.kind_matches('refactor.annotate.person', 'refactor.annotate.person'))
  assert(g.kind_matches('refactor.annotate.person', 'refactor.annotate'))
  assert(not g.kind_matches('refactor.annotate.person', 'refactor.annotate.per'))
  assert(not g.kind_matches('refactor', 'refactor.annotate'))
  assert(not g.kind_matches(nil, 'refactor.annotate'))
  local edit = { documentChanges = {} }
  local got = g.annotation_actions({
    { title = 'a', kind = 'refactor.annotate.person', edit = edit },
    { title = 'b', kind = 'refactor.annotate.place', edit = edit },
    { title = 'c', kind = 'refactor', edit = edit },
    { title = 'd', kind = 'refactor.annotate.person' },
    { title = 'e', command = 'x', kind = 'refactor.annotate.person', edit = edit },
    'junk',
  }, 'refactor.annotate.person')
  assert(#got == 1 and got[1].title == 'a', vim.inspect(got))
  assert(#g.annotation_actions(vim.NIL, 'refactor.annotate') == 0)
  assert(vim.fn.exists(':GazetteAnnotate') == 2, ':GazetteAnnotate is not defined')
  local maps = {}
  for _, m in ipairs(vim.api.nvim_buf_get_keymap(buf, 'n')) do
    maps[m.desc or ''] = true
  end
  for _, a in ipairs(g.ANNOTATIONS) do
    assert(maps['gazette: ' .. a.desc], 'no buffer keymap for ' .. a.desc)
  end
end)

check('annotating "Brüssel" by code action changes its hover', function()
  vim.api.nvim_set_current_buf(buf)
  local brow, bcol = find_in_buffer('in Brüssel')
  assert(brow, 'no "in Brüssel" in the article')
  vim.api.nvim_win_set_cursor(0, { brow, bcol + 3 + 2 })
  local before = hover_until('a hover card on "Brüssel"', function(c)
    return c:find('Brüssel', 1, true) ~= nil
  end)
  assert(not before:find('annotated here', 1, true), 'annotated before annotating: ' .. before)
  assert(vim.fn.filereadable(store) == 0, 'the store exists before the first annotation')
  local action = annotate_sync('organisation')
  assert(action.kind == 'refactor.annotate.organisation', 'applied ' .. vim.inspect(action.kind))
  assert(action.title == 'Annotate: organisation here', 'applied ' .. vim.inspect(action.title))
  local lines, sb = store_lines()
  assert(#lines == 1, 'store buffer: ' .. vim.inspect(lines))
  assert(lines[1]:find('"exact":"Brüssel"', 1, true) and lines[1]:find('"label":"organisation"', 1, true), lines[1])
  assert(vim.lsp.get_clients({ bufnr = sb, name = 'gazette' })[1], 'the store buffer is not attached to the server')
  assert(vim.bo[sb].modified, 'the store buffer was saved: it should only be edited')
  local after = hover_until('hover says "annotated here as org"', function(c)
    return c:find('annotated here as org', 1, true) ~= nil
  end)
  log('hover after annotating: %s', (after:gsub('\n.*', '')))
  -- Again on the same mention, by the command: the line is replaced.
  vim.cmd('GazetteAnnotate not-a-name')
  assert(vim.wait(15000, function()
    local l = store_lines()
    return #l == 1 and l[1]:find('"label":"not-a-name"', 1, true) ~= nil
  end, 50), 'the store does not read not-a-name: ' .. vim.inspect((store_lines())))
  hover_until('no hover card on "Brüssel" once it is not a name', function(c)
    return c == ''
  end)
  -- Nothing to annotate on a blank line: the user is told, nothing is written.
  local blank = 1
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if l == '' then
      blank = i
      break
    end
  end
  vim.api.nvim_win_set_cursor(0, { blank, 0 })
  local res
  require('gazette').annotate('person', { on_done = function(err) res = err or 'applied' end })
  assert(vim.wait(15000, function() return res ~= nil end, 50), 'no answer on a blank line')
  assert(res:find('no "person" annotation here', 1, true), 'on a blank line: ' .. res)
  assert(#store_lines() == 1, 'a line was written from a blank line')
  vim.api.nvim_win_set_cursor(0, { row, name_col + 2 })
end)

check(':GazetteRestart starts a fresh server for the buffer', function()
  local old_id = client.id
  vim.api.nvim_set_current_buf(buf)
  vim.cmd('GazetteRestart')
  local new
  local ok = vim.wait(30000, function()
    new = vim.lsp.get_clients({ bufnr = buf, name = 'gazette' })[1]
    return new ~= nil and new.id ~= old_id and new.initialized == true
  end, 50)
  assert(ok, 'no new gazette client attached within 30 s after :GazetteRestart')
  assert(#vim.lsp.get_clients({ name = 'gazette' }) == 1, 'old client still running')
  client = new
  -- The buffer is sent to the new server as it attaches: poll until it answers.
  local card = ''
  vim.wait(30000, function()
    card = hover_text(request('textDocument/hover', position_params(), 10000))
    return card ~= ''
  end, 200)
  assert(card ~= '', 'restarted server gives no hover')
end)

finish()
