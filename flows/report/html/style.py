"""The CSS (and the little script) every page embeds: pages must work offline, from a zip, with no network."""

from __future__ import annotations

__all__ = ["CSS", "SCRIPT", "PROTOCOL_COLOURS"]

PROTOCOL_COLOURS = {"SAML": "#c2410c", "OAuth": "#1d4ed8", "OIDC": "#0f766e", "WS-Fed": "#7e22ce", "JWT": "#4b5563"}

CSS = """
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--card:#fff;--err:#cf222e;--err-bg:#ffebe9;
--warn:#9a6700;--warn-bg:#fff8c5;--info:#59636e;--info-bg:#eef1f4;--ok:#1a7f37;--ok-bg:#dafbe1;--link:#0969da}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1200px;margin:0 auto;padding:20px 24px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
.sub{color:var(--muted);margin:0 0 12px}
.meta{display:flex;flex-wrap:wrap;gap:6px 18px;color:var(--muted);font-size:13px;margin:6px 0 0}
.meta b{color:var(--fg);font-weight:600}
.banner{padding:10px 14px;border-radius:6px;margin:12px 0;font-weight:600}
.banner.danger{background:var(--err);color:#fff}.banner.note{background:var(--info-bg);color:var(--fg);font-weight:400}
.pill{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;line-height:18px;white-space:nowrap}
.sev-error{background:var(--err-bg);color:var(--err)}.sev-warning{background:var(--warn-bg);color:var(--warn)}
.sev-info{background:var(--info-bg);color:var(--info)}.sev-ok{background:var(--ok-bg);color:var(--ok)}
.badge{display:inline-block;padding:0 6px;border-radius:4px;font-size:11px;font-weight:700;color:#fff;line-height:17px;margin-right:3px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px}
.findings{display:flex;flex-direction:column;gap:8px}
.finding{padding:10px 14px;border-left:5px solid var(--info)}
.finding.error{border-left-color:var(--err)}.finding.warning{border-left-color:var(--warn)}
.finding .head{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin-bottom:4px}
.finding code{font-size:12px;color:var(--muted)}
.finding .what{margin:2px 0}.finding .change{margin:4px 0 0;color:#0b3d1d}
.finding .change:before{content:"Change: ";font-weight:700}
.allclear{padding:12px 16px;border-left:5px solid var(--ok)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600;background:#f0f3f6}
.kv th{width:190px;background:none;color:var(--muted)}
.kv td,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
.timeline{overflow:hidden}
.screens{display:flex;flex-wrap:wrap;align-items:center;gap:4px 0;list-style:none;margin:0 0 10px;padding:8px 12px}
.screens .lbl{font-size:12px;color:var(--muted);font-weight:600;margin-right:10px}
.screens li{display:inline-flex;align-items:center}
.screens li.s+li.s:before{content:"→";color:var(--muted);margin:0 6px}
.screens .scr{padding:1px 8px;border-radius:4px;background:var(--info-bg);font-size:12.5px;font-family:ui-monospace,Menlo,Consolas,monospace}
.screens .scr.fed{background:#f3e8ff;color:#7e22ce}.screens .scr.bad{background:var(--err-bg);color:var(--err)}
.tl-head,.hop>summary{display:grid;grid-template-columns:46px 74px 62px minmax(120px,1.2fr) minmax(160px,2.4fr) 54px 150px 96px 60px;
gap:0 8px;align-items:center;padding:5px 10px}
.tl-head{font-size:12px;color:var(--muted);font-weight:600;background:#f0f3f6;border-bottom:1px solid var(--line)}
.hop{border-bottom:1px solid var(--line)}
.hop>summary{cursor:pointer;list-style:none}.hop>summary::-webkit-details-marker{display:none}
.hop>summary:hover{background:#f3f6fa}.hop[open]>summary{background:#eaf2fe}
.hop .idx{font-weight:700;color:var(--muted)}.hop .idx:before{content:"▸ ";font-size:10px}.hop[open] .idx:before{content:"▾ "}
.hop .path{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.hop .host{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;color:var(--muted)}
.hop .t,.hop .ms{font-variant-numeric:tabular-nums;color:var(--muted);font-size:12.5px}
.hop .ms{text-align:right}
.method{font-weight:700;font-size:12px}
.st{font-weight:700;font-variant-numeric:tabular-nums}.st-2{color:var(--ok)}.st-3{color:#0550ae}.st-4,.st-5,.st-x{color:var(--err)}
.arrow{font-size:12px;color:#0550ae;white-space:nowrap}.arrow.in{color:var(--muted)}
.hop.flagged>summary{box-shadow:inset 4px 0 0 var(--err)}
.hop.minor{display:none}.hop.minor>summary{opacity:.75}
#show-minor:checked~.timeline .hop.minor{display:block}
button.link{border:0;background:none;color:var(--link);cursor:pointer;font:inherit;padding:0}
.toggle{font-size:13px;color:var(--muted);margin:0 0 8px;display:inline-flex;gap:6px;align-items:center}
.detail{padding:8px 16px 14px 56px;background:#fbfcfd}
.detail h4{margin:12px 0 6px;font-size:13px}
.msg{margin:8px 0 12px;padding:10px 12px}
.msg .title{display:flex;gap:8px;align-items:center;flex-wrap:wrap;font-weight:600;margin-bottom:6px}
.msg ul{margin:4px 0;padding-left:18px}.msg li{margin:2px 0}
.errors li{color:var(--err)}.warnings li{color:var(--warn)}
pre{background:#0d1117;color:#e6edf3;padding:10px 12px;border-radius:6px;overflow:auto;max-height:420px;font-size:12px;line-height:1.4}
details.raw>summary{cursor:pointer;color:var(--link);font-size:12.5px;margin:6px 0}
.claims td:first-child{width:40%}
.lanes{padding:8px;overflow-x:auto}
.lanes svg{display:block;margin:0 auto;max-width:100%;height:auto}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.files li{margin:2px 0}
.summary-counts{display:flex;gap:10px;margin:10px 0 4px}
.summary-counts .pill{font-size:14px;padding:4px 12px}
.runs td.res{width:90px}.runs td.t{width:90px;text-align:right;font-variant-numeric:tabular-nums}
.runs tr.failed td,.runs tr.broken td{background:#fff5f5}
.runs .fail{color:var(--err);font-size:12.5px;font-family:ui-monospace,Menlo,Consolas,monospace}
footer{margin-top:36px;color:var(--muted);font-size:12px}
@media (max-width:900px){.tl-head,.hop>summary{grid-template-columns:40px 60px 50px 1fr 54px;}
.hop .path,.tl-head .c-path,.hop .badges,.tl-head .c-badges,.hop .arrow,.tl-head .c-arrow{display:none}.grid2{grid-template-columns:1fr}}
"""

SCRIPT = """
document.addEventListener('click',function(e){var b=e.target.closest('[data-expand]');if(!b)return;
var open=b.getAttribute('data-expand')==='all';document.querySelectorAll('details.hop').forEach(function(d){
if(!d.classList.contains('minor')||document.getElementById('show-minor').checked)d.open=open;});});
function openHash(){try{var t=location.hash&&document.querySelector(location.hash);if(t&&t.tagName==='DETAILS')t.open=true;}catch(e){}}
openHash();window.addEventListener('hashchange',openHash);
"""
