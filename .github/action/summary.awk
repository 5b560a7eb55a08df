# Turns clerk-guard's `--format github` workflow commands into Markdown table rows for the job
# summary. mode=rules: one row per rule with its counts per level; mode=top: one row per
# finding, at most `limit`, then how many more there are.
function unescape(s) {
  gsub(/%0D/, "", s); gsub(/%3A/, ":", s); gsub(/%2C/, ",", s); gsub(/%25/, "%", s)
  return s
}
function cell(s) {
  gsub(/\|/, "\\|", s)
  return s
}
/^::(error|warning|notice) / {
  level = substr($0, 3, index($0, " ") - 3)
  rest = substr($0, index($0, " ") + 1)
  sep = index(rest, "::")
  props = substr(rest, 1, sep - 1)
  message = substr(rest, sep + 2)
  cut = index(message, "%0A")
  if (cut > 0) message = substr(message, 1, cut - 1)
  file = ""; line = ""; rule = ""
  n = split(props, kv, ",")
  for (i = 1; i <= n; i++) {
    eq = index(kv[i], "=")
    key = substr(kv[i], 1, eq - 1)
    value = unescape(substr(kv[i], eq + 1))
    if (key == "file") file = value
    else if (key == "line") line = value
    else if (key == "title") rule = value
  }
  if (mode == "rules") {
    if (!(rule in seen)) { seen[rule] = 1; order[++rules] = rule }
    count[rule, level]++
  } else {
    shown++
    if (shown <= limit) {
      where = file (line != "" ? ":" line : "")
      printf "| %s | `%s` | `%s` | %s |\n", level, rule, cell(where), cell(unescape(message))
    }
  }
}
END {
  if (mode == "rules") {
    for (i = 1; i <= rules; i++) {
      r = order[i]
      printf "| `%s` | %d | %d | %d |\n", r, count[r, "error"], count[r, "warning"], count[r, "notice"]
    }
  } else if (shown > limit) {
    printf "\n%d more finding(s): see the SARIF report or `clerk-guard scan` locally.\n", shown - limit
  }
}
