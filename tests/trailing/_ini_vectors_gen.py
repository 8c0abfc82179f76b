import configparser, json, sys
cases = {
 "basic": "[S]\nk = v\nK2: w\n",
 "defaults": "[DEFAULT]\nx = 1\ny = ${x}2\n[A]\nx = 9\nz = ${y}|${DEFAULT:x}|${B:w}|$$5\n[B]\nw = ${x}w\n",
 "continuation": "[S]\nk = one\n  two\n\n  three\n\nj = 1\n",
 "comment_in_value": "[S]\nk = one\n  ; c\n  two\n",
 "inline_semicolon": "[S]\nk = a ; b # c\n",
 "key_with_space": "[S]\nmy key = v = w\n",
 "empty_value": "[S]\nk =\nj=\n",
 "header_trailing": "[A] ; note\nk = v\n",
 "header_bracket": "[A]]\nk = v\n",
 "indented_first_key": "[S]\n  k = v\n    cont\n j = 2\n",
 "colon_first": "[S]\nk: a = b\n",
 "eq_first": "[S]\nk = a: b\n",
 "ref_case": "[A]\nKey = v\n[a]\nk = ${A:KEY}\n",
 "nested": "[S]\na = ${b}\nb = ${c}\nc = end\n",
 "crlf": "[S]\r\nk = v\r\n",
 "tabs": "[S]\nk\t=\tv\t\n",
 "blank_then_key": "[S]\nk = v\n\n\nj = w\n",
 "value_trailing_blank": "[S]\nk = v\n  \n",
 "err_no_header": "k = v\n",
 "err_no_delim": "[S]\nk\n",
 "err_dup_section": "[S]\n[S]\n",
 "err_dup_key": "[S]\nk = 1\nK = 2\n",
 "err_missing_ref": "[S]\nk = ${nope}\n",
 "err_bad_dollar": "[S]\nk = $5\n",
 "err_loop": "[S]\na = ${b}\nb = ${a}\n",
 "err_missing_section": "[S]\nk = ${T:x}\n",
 "err_two_colons": "[S]\nk = ${a:b:c}\n",
 "err_empty_key": "[S]\n= v\n",
}
out = {}
for name, text in cases.items():
    p = configparser.ConfigParser(interpolation=configparser.ExtendedInterpolation())
    try:
        p.read_string(text)
        res = {}
        for sec in ["DEFAULT"] + p.sections():
            res[sec] = {k: p.get(sec, k) for k in (p.defaults() if sec == "DEFAULT" else p[sec])}
        out[name] = {"text": text, "sections": res}
    except Exception as e:
        out[name] = {"text": text, "error": type(e).__name__}
print(json.dumps({"_about": "configparser.ConfigParser(interpolation=ExtendedInterpolation()) of Python %s on each text: every section's resolved values (DEFAULT first), or the exception class" % sys.version.split()[0], "cases": out}, indent=1, ensure_ascii=False))
