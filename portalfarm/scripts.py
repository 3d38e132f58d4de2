"""The portals' JavaScript: TRS's createPageHTML pager, a JSON list loader, a jcms-style XML list loader."""

from __future__ import annotations

PAGE_JS = r"""function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
  if (_nPageCount == null || _nPageCount <= 1) { return; }
  var nCurrIndex = _nCurrIndex || 0;
  function name(i) { return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; }
  if (nCurrIndex == 0) { document.write("<span>首页</span>&nbsp;<span>上一页</span>&nbsp;"); }
  else {
    document.write("<a href=\"" + name(0) + "\">首页</a>&nbsp;");
    document.write("<a href=\"" + name(nCurrIndex - 1) + "\">上一页</a>&nbsp;");
  }
  if (nCurrIndex == _nPageCount - 1) { document.write("<span>下一页</span>&nbsp;<span>尾页</span>"); }
  else {
    document.write("<a href=\"" + name(nCurrIndex + 1) + "\">下一页</a>&nbsp;");
    document.write("<a href=\"" + name(_nPageCount - 1) + "\">尾页</a>");
  }
  document.write("&nbsp;共" + _nPageCount + "页");
}
"""

LIST_JS = r"""function loadList(colid, page, size) {
  var xhr = new XMLHttpRequest();
  xhr.open("GET", "/api/column/" + colid + "/list.json?page=" + page + "&size=" + size);
  xhr.onload = function () {
    var data = JSON.parse(xhr.responseText);
    var ul = document.getElementById("infoList");
    ul.innerHTML = "";
    data.data.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item.url; a.title = item.title; a.textContent = item.title;
      var span = document.createElement("span");
      span.className = "date"; span.textContent = item.publishDate;
      li.appendChild(a); li.appendChild(span); ul.appendChild(li);
    });
    var pager = document.getElementById("pager");
    pager.innerHTML = "";
    for (var p = 1; p <= data.pages; p++) {
      var link = document.createElement("a");
      link.href = "javascript:;"; link.textContent = p;
      link.setAttribute("onclick", "loadList(" + colid + "," + p + "," + size + ")");
      pager.appendChild(link);
    }
  };
  xhr.send();
}
"""

JPAGE_JS = r"""(function () {
  var cfg = window.jpage;
  var holder = document.getElementById("div" + cfg.columnid);
  function show(page) {
    var start = (page - 1) * cfg.perpage + 1;
    var end = start + cfg.perpage - 1;
    var url = "/module/web/jpage/dataproxy.jsp?startrecord=" + start + "&endrecord=" + end +
      "&perpage=" + cfg.perpage + "&col=1&appid=1&webid=1&path=%2F&columnid=" + cfg.columnid +
      "&sourceContentType=1&unitid=" + cfg.unitid + "&permissiontype=0";
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url);
    xhr.onload = function () {
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/xml");
      var records = doc.getElementsByTagName("record");
      var html = "<ul>";
      for (var i = 0; i < records.length; i++) { html += records[i].textContent; }
      html += "</ul>";
      var total = parseInt(doc.getElementsByTagName("totalrecord")[0].textContent, 10);
      var pages = Math.ceil(total / cfg.perpage);
      html += "<div class=\"page\">共" + total + "条 ";
      for (var p = 1; p <= pages; p++) {
        html += "<a href=\"javascript:;\" onclick=\"jpageShow(" + p + ")\">" + p + "</a> ";
      }
      holder.innerHTML = html + "</div>";
    };
    xhr.send();
  }
  window.jpageShow = show;
  show(1);
})();
"""

STYLE_CSS = """body{font-family:"Microsoft YaHei",SimSun,sans-serif;margin:0}.header{background:#c00;color:#fff}
.nav li{display:inline;margin:0 1em}.main{width:1000px;margin:0 auto}.list li{line-height:2em}
.date{float:right}.footer{text-align:center;color:#666}
"""

SCRIPTS: dict[str, tuple[str, str]] = {
    "/common/js/page.js": (PAGE_JS, "application/javascript; charset=utf-8"),
    "/common/js/list.js": (LIST_JS, "application/javascript; charset=utf-8"),
    "/common/js/jpage.js": (JPAGE_JS, "application/javascript; charset=utf-8"),
    "/common/css/style.css": (STYLE_CSS, "text/css; charset=utf-8"),
}
