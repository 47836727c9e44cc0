"""Every text of the page (but its years' comparison and timeline), in English and Chinese.

Each text a person reads is written here once, as a :class:`geo.text.Bilingual` in
:data:`TEXT`, and the page asks for it by key: :func:`say` gives it in the page's language
(:func:`app.language.current`, chosen with the page's switch, :mod:`app.language_switch`);
:func:`both` gives both languages side by side (``"not covered 未覆盖"``), for text that
must carry both. An error of the engine is shown by :func:`error_text`.

What the engine already says in both languages is taken from it, not repeated here: the
bases' labels and captions (:mod:`geo.basis`), the border tables' headers and words
(:mod:`geo.labels`) and the coverage notes (:mod:`geo.coverage`).

Placeholders (``{year}``) are filled by :func:`say` and :func:`both`; text from data put
into them must still be escaped by the caller where it is shown as markdown
(:func:`app.page_text.md`). Nothing here imports streamlit.
"""

from __future__ import annotations

from app.language import current
from geo.errors import JieguiError
from geo.labels import LAYER_LABELS, NOT_COVERED, Language
from geo.text import Bilingual

#: The page's texts by key (see the module docstring).
TEXT: dict[str, Bilingual] = {
    # --- the what-if view (app.what_if_view)
    "wi_heading": Bilingual("What if an interface closes?", "接口关闭会怎样？"),
    "wi_switch": Bilingual("Analyse closures of this border", "分析本边界接口关闭的影响"),
    "wi_switch_help": Bilingual(
        "Routes the trips between the main places on each side (cities and ports) over the "
        "road and rail network around the border, with each interface closed alone and with "
        "those you close together (a few seconds per change).",
        "在边界周边的公路和铁路网络上计算两侧主要地点（城市和港口）之间的出行路径：逐一关闭每个接口，"
        "以及同时关闭所选接口（每次更改需数秒）。",
    ),
    "wi_choose_neighbour": Bilingual(
        "Choose one neighbour in the sidebar: the what-if view analyses one border.",
        "请在侧栏中选择一个相邻地区：情景分析针对单条边界。",
    ),
    "wi_no_layer": Bilingual(
        "Choose highways or railways: only they can be routed on.",
        "请选择高速公路或铁路：仅这两类图层可用于路径计算。",
    ),
    "wi_band": Bilingual("Network around the border (km)", "边界周边网络范围（公里）"),
    "wi_band_help": Bilingual(
        "Half-width of the band whose network and places are used. Wider reaches more "
        "cities (Zhejiang–Shanghai: Hangzhou from about 120 km) and takes longer.",
        "所用网络和城市所在带状区域的半宽。范围越大，涵盖的城市越多（浙沪边界：约 120 公里"
        "可达杭州），计算也越久。",
    ),
    "wi_close": Bilingual("Interfaces to close", "要关闭的接口"),
    "wi_close_help": Bilingual(
        "Close up to {n} interfaces together, here or by clicking their rings on the map "
        "(a click on a ring closes it or opens it again): the map draws the routes the "
        "trips take then, and the table's first rows give the impact.",
        "最多同时关闭 {n} 个接口，可在此选择，或在地图上点击接口的圆环（点击可关闭或重新开放）："
        "地图绘出关闭后出行所走的路径，表格前几行给出影响。",
    ),
    "wi_too_many": Bilingual(
        "{n} interfaces were chosen to close: close at most {max} at once.",
        "选择关闭了 {n} 个接口：一次最多关闭 {max} 个。",
    ),
    "wi_ring_close": Bilingual("Click the ring to close it", "点击圆环关闭此接口"),
    "wi_ring_open": Bilingual("Click the ring to open it again", "再次点击圆环重新开放此接口"),
    "wi_click_full": Bilingual(
        "{n} interfaces are closed already, the most at once: open one first (click its "
        "ring, or remove it from the list).",
        "已关闭 {n} 个接口，已达上限：请先重新开放一个（点击其圆环，或从列表中移除）。",
    ),
    "wi_unknown": Bilingual(
        "{what} is not an interface of this border: choose from the list.",
        "{what} 不是本边界的接口：请从列表中选择。",
    ),
    "wi_bad_band": Bilingual(
        "The network band must be between {low} and {high} km (got {got}).",
        "网络范围须在 {low} 至 {high} 公里之间（收到 {got}）。",
    ),
    "wi_working": Bilingual(
        "Routing the trips around the closures…", "正在计算关闭接口后的出行路径…"
    ),
    "wi_min_cut": Bilingual("Independent routes", "独立路径数"),
    "wi_min_cut_help": Bilingual(
        "Min cut: edge-disjoint paths across the border between the two sides' places, "
        "counting every crossing of the network; paths and trips keep to the two regions (a "
        "way round through a third region crosses other borders).",
        "最小割：两侧地点之间跨越边界、互不共用路段的路径数，计入网络中的所有跨界路段；"
        "路径和出行均限于两地区之内（经第三地区绕行跨越的是其他边界）。",
    ),
    "wi_min_cut_counted": Bilingual("…through counted interfaces", "…仅经统计接口"),
    "wi_min_cut_counted_help": Bilingual(
        "The same, through the interfaces of the count only (crossings the count does not "
        "know left out).",
        "同上，但仅经过统计中的接口（统计未包含的跨界路段不计）。",
    ),
    "wi_critical": Bilingual("Critical interfaces", "关键接口"),
    "wi_critical_help": Bilingual(
        "Interfaces whose closure alone cuts off a pair of places (a city or a port) or "
        "adds at least {min} minutes to a trip.",
        "单独关闭后会使某对起讫地点（城市或港口）之间中断，或使某一出行增加至少 {min} 分钟的接口。",
    ),
    "wi_table": Bilingual("Closures", "接口关闭情景"),
    "wi_places": Bilingual("Trips between: {places}", "出行起讫地点：{places}"),
    "wi_note": Bilingual("{layer}: {text}", "{layer}：{text}"),
    "wi_c_scenario": Bilingual("Closure", "情景"),
    "wi_c_share": Bilingual(
        "Trips using it, population-weighted (%)", "经此出行占比（按人口加权，%）"
    ),
    "wi_c_min_mean": Bilingual("Added min (mean)", "增加分钟（平均）"),
    "wi_c_min_max": Bilingual("Added min (max)", "增加分钟（最大）"),
    "wi_c_km_max": Bilingual("Added km (max)", "增加公里（最大）"),
    "wi_c_slower": Bilingual("Place pairs slowed", "行程变长的起讫地点对数"),
    "wi_c_disconnected": Bilingual("Place pairs cut off", "中断的起讫地点对数"),
    "wi_c_moves_to": Bilingual("Moves to", "转移至"),
    "wi_c_moves_to_help": Bilingual(
        "Where the trips the closure moves cross now: each interface with the population-"
        "weighted share of the moved trips whose new route crosses it. A new route may cross "
        "the border more than once and counts in each interface it crosses, so the shares can "
        "sum past 100%.",
        "关闭后被转移的出行现在经过何处：各接口及新路径穿越该接口的被转移出行占比（按人口加权）。"
        "新路径可能多次穿越边界，计入其穿越的每个接口，故各占比之和可超过 100%。",
    ),
    "wi_c_critical": Bilingual("Critical", "关键"),
    "wi_closed_now": Bilingual("closed together", "同时关闭"),
    "wi_alone": Bilingual("alone", "单独关闭"),
    "wi_yes": Bilingual("yes", "是"),
    "wi_other_crossing": Bilingual("other crossing", "其他跨界路段"),
    "wi_way_round": Bilingual("way round", "绕行第三地"),
    "wi_legend_title": Bilingual("What if", "情景分析"),
    "wi_legend_closed": Bilingual("closed", "已关闭"),
    "wi_legend_critical": Bilingual("critical", "关键"),
    "wi_legend_open": Bilingual("not critical", "非关键"),
    "wi_legend_detour": Bilingual("route with the closures", "关闭后的路径"),
    "wi_detour_tip": Bilingual(
        "{origin} → {destination}: {km} km, {min} min",
        "{origin} → {destination}：{km} 公里，{min} 分钟",
    ),
    "wi_no_detour": Bilingual(
        "No trip between the places crossed by the interfaces closed: no route changes (a "
        "wider network band reaches more places).",
        "所选接口上没有地点间出行经过，路径不变（扩大网络范围可涵盖更多地点）。",
    ),
    "wi_download_csv": Bilingual("Closures table (CSV)", "接口关闭情景表（CSV）"),
    "wi_download_geojson": Bilingual("Detour routes (GeoJSON)", "改道路径（GeoJSON）"),
    # --- the counting basis (sidebar)
    "basis": Bilingual("Counting basis", "统计口径"),
    "basis_help": Bilingual(
        "Which links count, in the year shown: every figure on the page, the overview, the "
        "downloads and the page's column beside the report's figures count in this basis.",
        "按所选年份计入哪些连接：本页所有数字、总览、下载文件及报告对照中的本页列均按此口径统计。",
    ),
    "custom": Bilingual("custom statuses", "自定义状态"),
    "statuses": Bilingual("Statuses counted", "计入的状态"),
    "statuses_help": Bilingual(
        "Only features with these statuses (in the chosen year) are drawn and counted.",
        "仅绘制并统计（所选年份中）具有这些状态的要素。",
    ),
    "as_report": Bilingual("Count as the report does", "按报告口径统计"),
    "as_report_help": Bilingual(
        "Counts {basis} as of {year}, as the report's figures are counted.",
        "按报告口径统计：{year}年，{basis_zh}。",
    ),
    "as_report_help_basis": Bilingual(
        "Counts {basis}, as the report's figures are counted.", "按报告口径统计：{basis_zh}。"
    ),
    "as_report_done": Bilingual(
        "The page counts as the report does ({caption}).",
        "本页已按报告口径统计（{caption_zh}）。",
    ),
    "choose_status": Bilingual(
        "Choose at least one status to count.", "请至少选择一个计入的状态。"
    ),
    # --- coverage
    "not_covered": Bilingual(NOT_COVERED["en"], NOT_COVERED["zh"]),
    "partly": Bilingual("partly covered", "部分覆盖"),
    "covered": Bilingual("covered", "已覆盖"),
    "borders_covered": Bilingual(
        "{covered} of {total} borders covered", "{total}条边界中{covered}条已覆盖"
    ),
    "found_anyway": Bilingual(
        "{n} interface(s) found all the same, by lines that cross another covered border too",
        "仍发现{n}个接口（由同时跨越其他已覆盖边界的线路构成）",
    ),
    "unknown_n": Bilingual("{n} unknown", "{n}个未知"),
    "coverage_notes": Bilingual("What the data cover", "数据覆盖范围"),
    # Under the overview: its own title, not the cards' (two boxes of one title, one page).
    "overview_coverage_notes": Bilingual("Coverage of every border", "各边界的数据覆盖范围"),
    # --- the cards
    "routes": Bilingual("Routes", "线路"),
    "interfaces": Bilingual("Interfaces", "接口"),
    "without_data": Bilingual("{n} interface(s) without data", "{n}个接口缺少数据"),
    # --- the overview
    "overview_region": Bilingual("Every border of {region}", "{region}的所有边界"),
    "overview_all": Bilingual("Every border in the source", "数据中的所有边界"),
    "every_pair": Bilingual("Every pair in the source", "数据中的所有区域对"),
    "every_pair_help": Bilingual(
        "Show every pair of regions in the data, not only the focus region's borders.",
        "显示数据中所有相邻区域对，而不仅是所选地区的边界。",
    ),
    "overview_caption": Bilingual(
        "Routes, interfaces and capacity per border and layer, {caption}. Click a row to "
        "focus that border; click a header to sort. Shaded cells are partly covered.",
        "各边界、各图层的线路、接口与通行能力，{caption_zh}。点击一行以聚焦该边界；点击表头排序。"
        "底色标出的单元格为部分覆盖。",
    ),
    "border": Bilingual("Border", "边界"),
    "coverage": Bilingual("Coverage", "覆盖情况"),
    "overview_csv": Bilingual("Overview (CSV)", "总览（CSV）"),
    "overview_xlsx": Bilingual("Overview (XLSX)", "总览（XLSX）"),
    "no_pairs": Bilingual("No region pairs in these data.", "数据中没有相邻区域对。"),
    # --- the report's figures
    "report": Bilingual("Against the report ({year})", "与报告对照（{year}年）"),
    "report_caption": Bilingual(
        "Each figure the document gives, beside the same measure computed from the geometry "
        "as the report counts it: {report_caption}. Differences are explained in the last "
        "column.",
        "文件给出的每个数字，与按报告口径（{report_caption_zh}）从几何数据计算的同一指标并列。"
        "差异在最后一列说明。",
    ),
    "report_page_column": Bilingual(
        "The column “{column}” counts the same measures in the page's basis, {page_caption}.",
        "“{column}”列按本页口径（{page_caption_zh}）统计同一指标。",
    ),
    "report_column": Bilingual("Computed, as the report counts", "计算值（报告口径）"),
    "page_column": Bilingual("Computed, {basis}", "计算值（{basis_zh}）"),
    "documented": Bilingual("Documented", "文件数值"),
    # --- the map (app/webmap.py, app/map_legend.py)
    "legend": Bilingual("Legend", "图例"),
    "legend_note": Bilingual(
        "Line weight and marker size grow with capacity. Hover or click for details.",
        "线宽与标记大小随通行能力增加。悬停或点击查看详情。",
    ),
    "legend_showing": Bilingual("(showing {drawn} of {total})", "（显示{total}个中的{drawn}个）"),
    "legend_marker_size": Bilingual("size by lanes or tracks", "大小表示车道数或股道数"),
    "legend_marker_no_data": Bilingual("no capacity data", "缺能力数据"),
    "legend_marker_not_open": Bilingual("not open", "未通车"),
    "legend_more": Bilingual(
        "More: coast, lakes, rivers; how to read", "更多：海岸、湖泊、河流；读图说明"
    ),
    "legend_border": Bilingual("Border", "边界"),
    "legend_border_counted": Bilingual("the border counted", "本图统计的边界"),
    "map_border": Bilingual("Border counted", "统计的边界"),
    "map_credits": Bilingual("ⓘ Sources", "ⓘ 来源"),
    "map_credits_show": Bilingual(
        "Show the data's sources, credits and licences", "显示数据来源、署名与许可"
    ),
    "map_credits_hide": Bilingual("Hide the sources", "隐藏来源"),
    "map_regions": Bilingual("Regions", "行政区"),
    "map_context": Bilingual("Coast, lakes, rivers", "海岸、湖泊、河流"),
    "map_labels": Bilingual("Labels", "注记"),
    "map_basemap": Bilingual("Basemap", "底图"),
    "map_basemap_from": Bilingual("Basemap: {host}", "底图：{host}"),
    "context_lakes": Bilingual("lake", "湖泊"),
    "context_rivers": Bilingual("river", "河流"),
    "context_coastline": Bilingual("coast", "海岸线"),
    "context_city": Bilingual("city", "城市"),
    "tiles_failed": Bilingual(
        "The basemap's tiles could not be loaded (no internet?): the map is drawn without them.",
        "底图瓦片无法加载（可能没有网络连接），地图在无底图的情况下绘制。",
    ),
    "halo_note": Bilingual(
        "Dashed circle: the selected interface's line is drawn to within {km} km; the map "
        "zooms no closer than that allows.",
        "虚线圆：所选接口的线路位置精度约为{km}公里；地图的放大程度以此为限。",
    ),
    # --- the page and its sidebar
    "choose_source": Bilingual(
        "Choose a source to count its cross-border links.", "请选择数据源以统计其跨界连接。"
    ),
    "loading": Bilingual("Loading the data…", "正在加载数据…"),
    "counting": Bilingual("Counting crossings…", "正在统计跨界连接…"),
    "comparing_documents": Bilingual(
        "Comparing with the documented figures…", "正在与文件数值对照…"
    ),
    "sidebar_border": Bilingual("Border", "边界"),
    "focus_region": Bilingual("Focus region", "聚焦地区"),
    "neighbour": Bilingual("Neighbour", "相邻地区"),
    "all_neighbours": Bilingual("All neighbours", "所有相邻地区"),
    "pair_all": Bilingual("{region} – all neighbours", "{region} – 所有相邻地区"),
    "border_phrase": Bilingual("the border {a}–{b}", "{a}–{b}边界"),
    "borders_phrase": Bilingual("the borders of {region}", "{region}的各条边界"),
    "network": Bilingual("Network", "交通网络"),
    "layers": Bilingual("Layers", "图层"),
    "year": Bilingual("As of year", "年份"),
    "year_help": Bilingual(
        "{year} shows the data as tagged (the year they describe); other years read each "
        "feature's status and capacity in that year.",
        "{year}年按数据标注显示（即数据所描述的年份）；其他年份按各要素在该年的状态与通行能力显示。",
    ),
    "no_years": Bilingual(
        "No opening years in this data: the network is shown as tagged ({year}).",
        "数据中没有开通年份：按数据标注显示（{year}年）。",
    ),
    "no_lines": Bilingual(
        "These data hold regions but no lines to count; give a source with lines (a "
        "GeoPackage's layers of lines are named {names}).",
        "数据中只有地区，没有可统计的线路；"
        "请提供含线路的数据源（GeoPackage 中线路图层的名称为 {names}）。",
    ),
    "choose_layer": Bilingual("Choose at least one layer.", "请至少选择一个图层。"),
    "interfaces_heading": Bilingual("Interfaces · {pair}", "接口 · {pair}"),
    "no_interface": Bilingual(
        "No interface between these regions with the chosen layers, year and statuses.",
        "按所选图层、年份和状态，这两个地区之间没有接口。",
    ),
    "table_follows": Bilingual(
        "{n} interface(s); their table follows once the map is drawn.",
        "{n}个接口；地图绘出后显示接口表。",
    ),
    "select_row": Bilingual(
        "Select a row to find the interface on the map.", "选择一行以在地图上定位该接口。"
    ),
    "page_time": Bilingual("Page computed in {ms} ms.", "本页计算用时 {ms} 毫秒。"),
    # --- the sidebar's "Data" section
    "data": Bilingual("Data", "数据"),
    "dataset": Bilingual("Embedded dataset", "内置数据集"),
    "upload": Bilingual("…or upload an OSM extract or GIS file", "…或上传 OSM 数据或 GIS 文件"),
    # Streamlit's own words on the file uploader, put in the Chinese page by app.widget_words.
    "uploader_button": Bilingual("Upload", "上传"),
    "uploader_limit": Bilingual("{mb} MB per file • {kinds}", "每个文件不超过 {mb} MB · {kinds}"),
    "upload_help": Bilingual(
        ".osm, .osm.pbf, .osm.gz/.bz2, GeoJSON, GeoPackage or a zipped Shapefile "
        "(at most {mb} MB).",
        ".osm、.osm.pbf、.osm.gz/.bz2、GeoJSON、GeoPackage 或压缩的 Shapefile（最大 {mb} MB）。",
    ),
    "gcj02": Bilingual(
        "My GIS files are in GCJ-02 (AMap/Gaode, Tencent)",
        "我的 GIS 文件为 GCJ-02 坐标（高德、腾讯）",
    ),
    "gcj02_help": Bilingual(
        "Chinese commercial data is often in GCJ-02, about 500 m off WGS84 and "
        "OpenStreetMap, while claiming EPSG:4326. Tick to convert it to WGS84 (not for OSM "
        "files).",
        "国内商业数据常为 GCJ-02 坐标，虽标为 EPSG:4326，"
        "却与 WGS84 和 OpenStreetMap 相差约 500 米。"
        "勾选后转换为 WGS84（不适用于 OSM 文件）。",
    ),
    "bd09": Bilingual("My GIS files are in BD-09 (Baidu)", "我的 GIS 文件为 BD-09 坐标（百度）"),
    "bd09_help": Bilingual(
        "Baidu Maps data is in BD-09: GCJ-02 moved a further 0.8-1 km, about 1 km off WGS84 "
        "and OpenStreetMap in all. Tick to convert it to WGS84 (not for OSM files).",
        "百度地图数据为 BD-09 坐标：在 GCJ-02 基础上再偏移 0.8-1 公里，"
        "与 WGS84 和 OpenStreetMap 共相差约 1 公里。勾选后转换为 WGS84（不适用于 OSM 文件）。",
    ),
    "server_path": Bilingual("…or a path on this machine", "…或本机上的路径"),
    "server_path_help": Bilingual(
        "A file, or a GeoPackage fetched below.", "一个文件，或下方获取的 GeoPackage。"
    ),
    "shared_file": Bilingual("…or a file from the data folder", "…或数据文件夹中的文件"),
    "shared_file_help": Bilingual(
        "The files the server keeps for everyone, and GeoPackages fetched below.",
        "服务器为所有人保存的文件，以及下方获取的 GeoPackage。",
    ),
    "none": Bilingual("None", "无"),
    "choose_options": Bilingual("Choose", "请选择"),
    # Streamlit's own words on select boxes and data grids, put in the Chinese page by
    # app.widget_words (a select box's placeholder; the grids' toolbar tips, by their
    # buttons' English names; the uploader's refusal of a file).
    "choose_option": Bilingual("Choose an option", "请选择一项"),
    "skip_to_content": Bilingual("Skip to main content", "跳到主要内容"),
    "no_options": Bilingual("No options to select", "没有可选项"),
    "grid_columns": Bilingual("Show/hide columns", "显示/隐藏列"),
    "grid_download": Bilingual("Download as CSV", "下载为 CSV"),
    "grid_search": Bilingual("Search", "搜索"),
    "grid_fullscreen": Bilingual("Fullscreen", "全屏"),
    "grid_close_fullscreen": Bilingual("Close fullscreen", "退出全屏"),
    "grid_clear_selection": Bilingual("Clear selection", "清除选择"),
    "uploader_refused": Bilingual(
        "This file cannot be uploaded: it must be a {kinds} file of at most {mb} MB.",
        "无法上传此文件：须为 {kinds} 文件，且不超过 {mb} MB。",
    ),
    "fetched_file": Bilingual("{name} (fetched)", "{name}（已获取）"),
    "too_large": Bilingual(
        "{name} is larger than the upload limit of {mb} MB; upload a smaller extract, e.g. "
        "a band around the border.",
        "{name} 超过上传上限 {mb} MB；请上传较小的范围，例如边界两侧的条带。",
    ),
    # --- the sidebar's fetch panel
    "fetch": Bilingual("Fetch from OpenStreetMap", "从 OpenStreetMap 获取"),
    "fetch_caption": Bilingual(
        "Fetch the OpenStreetMap features near {border} into a GeoPackage, then open it "
        "here. The band follows this data's region outlines.",
        "将{border}附近的 OpenStreetMap 要素获取为 GeoPackage，然后在此打开。"
        "条带沿本数据的地区轮廓划定。",
    ),
    "band": Bilingual("Band either side (km)", "边界两侧条带宽度（km）"),
    "sea_gap": Bilingual(
        "…and water between coasts closer than (km)", "…以及海岸间距小于此值的水域（km）"
    ),
    "fetch_from": Bilingual("From", "来源"),
    "from_overpass": Bilingual("Overpass API (online)", "Overpass API（在线）"),
    "from_file": Bilingual("A local .osm/.osm.pbf file", "本机的 .osm/.osm.pbf 文件"),
    "from_shared": Bilingual(
        "A .osm/.osm.pbf file of the data folder", "数据文件夹中的 .osm/.osm.pbf 文件"
    ),
    "fetch_button": Bilingual("Fetch", "获取"),
    "saved_as": Bilingual("Saved as {name}", "已保存为 {name}"),
    "open_it": Bilingual("Open it", "打开"),
    "download_package": Bilingual("Download the GeoPackage", "下载 GeoPackage"),
    "overpass_url": Bilingual("Overpass API URL", "Overpass API 地址"),
    "overpass_help": Bilingual("This server fetches from {urls}.", "本服务器从 {urls} 获取数据。"),
    "osm_path": Bilingual("OSM file path", "OSM 文件路径"),
    "osm_file": Bilingual("OSM file", "OSM 文件"),
    "no_osm_files": Bilingual(
        "The data folder holds no .osm or .osm.pbf file.",
        "数据文件夹中没有 .osm 或 .osm.pbf 文件。",
    ),
    "fetching": Bilingual("Fetching…", "正在获取…"),
    "fetch_failed": Bilingual("Fetch failed", "获取失败"),
    "fetched": Bilingual("Fetched {counts}", "已获取 {counts}"),
    "regions": Bilingual("regions", "地区"),
    # --- the sidebar's basemap panel
    "basemap": Bilingual("Basemap", "底图"),
    "tiles": Bilingual("Tiles under the map", "地图底图瓦片"),
    "tiles_help": Bilingual(
        "Off by default: the map draws its regions, so it is readable with no internet.",
        "默认关闭：地图自行绘制地区，无需联网即可阅读。",
    ),
    "tiles_none": Bilingual("None (works offline)", "无（离线可用）"),
    "tiles_osm": Bilingual("OpenStreetMap (needs internet)", "OpenStreetMap（需联网）"),
    "tiles_url": Bilingual("A tile URL (e.g. a local tile server)", "瓦片地址（如本地瓦片服务器）"),
    "tile_url": Bilingual("Tile URL", "瓦片地址"),
    "tile_url_help": Bilingual(
        "A URL with {{z}}, {{x}} and {{y}}.", "含 {{z}}、{{x}}、{{y}} 的地址。"
    ),
    "tile_attribution": Bilingual("Tile attribution", "瓦片版权说明"),
    "map_height": Bilingual("Map height", "地图高度"),
    "map_height_help": Bilingual(
        "Fitted to the window by default: taller on a large screen, at least 440 px on a "
        "small one. A fixed height keeps the map the same whatever the window.",
        "默认适应窗口：大屏幕上更高，小屏幕上至少 440 像素。选择固定高度后，地图高度不随窗口变化。",
    ),
    "map_height_fit": Bilingual("Fit the window", "适应窗口"),
    "map_height_small": Bilingual("Small ({px} px)", "小（{px} 像素）"),
    "map_height_medium": Bilingual("Medium ({px} px)", "中（{px} 像素）"),
    "map_height_large": Bilingual("Large ({px} px)", "大（{px} 像素）"),
    "map_height_larger": Bilingual("Larger ({px} px)", "特大（{px} 像素）"),
    "tiles_offset": Bilingual(
        "These tiles are in China's offset {system} coordinates, not WGS84: data drawn on "
        "them appear {how_far}; use WGS84 tiles (such as OpenStreetMap's) to check positions.",
        "这些瓦片采用国内偏移的 {system} 坐标而非 WGS84：绘于其上的数据会{how_far_zh}；"
        "核对位置请使用 WGS84 瓦片（如 OpenStreetMap 的）。",
    ),
    # --- the cards' capacity, short (the card's title) per measure
    "cap_lanes": Bilingual("Lanes", "车道"),
    "cap_tracks": Bilingual("Tracks", "股道"),
    "cap_best_grade": Bilingual("Best grade", "最高等级"),
    "cap_max_diameter": Bilingual("Max diameter (mm)", "最大管径（毫米）"),
    # --- the report's table's headers (the table keeps the comparison's column names)
    "col_layer": Bilingual("Layer", "图层"),
    "col_border": Bilingual("Border", "边界"),
    "col_measure": Bilingual("Measure", "指标"),
    "col_basis": Bilingual("Basis", "口径"),
    "col_explanation": Bilingual("Explanation", "说明"),
    "unexplained": Bilingual("unexplained", "未解释"),
    # --- the map's tooltips and popups (field names and values), the interface table
    "f_route_number": Bilingual("Route number", "编号"),
    "f_border": Bilingual("Border", "边界"),
    "f_kind": Bilingual("Type", "类型"),
    "f_status": Bilingual("Status", "状态"),
    "f_opened": Bilingual("Opened", "开通年份"),
    "f_expected": Bilingual("Expected to open", "预计开通"),
    "f_works": Bilingual("Works started", "开工年份"),
    "f_closed": Bilingual("Closed", "停用年份"),
    "f_widened": Bilingual("Widened", "扩容"),
    "f_narrowed": Bilingual("Narrowed", "缩减"),
    "f_changed": Bilingual("Capacity data", "能力数据"),
    "f_lanes": Bilingual("Lanes", "车道数"),
    "f_tracks": Bilingual("Tracks", "股道数"),
    "f_grade": Bilingual("Navigation grade", "航道等级"),
    "f_diameter": Bilingual("Diameter", "管径"),
    "f_berths": Bilingual("Berths", "泊位数"),
    "f_teu": Bilingual("Container capacity", "集装箱能力"),
    "f_teu_changed": Bilingual("Container capacity changed", "集装箱能力变化"),
    # --- the cities layer's popups (app.city_popups): the report's figures of a city
    "city_projects": Bilingual("Projects brought in", "引进项目"),
    "city_agreed_yuan": Bilingual("Investment agreed", "协议总金额"),
    "city_realised_yuan": Bilingual("Investment in place", "实际到位资金"),
    "city_farm_supply_yuan": Bilingual("Farm produce supplied to Shanghai", "供沪农产品总额"),
    "city_farm_supply_share": Bilingual("Share of the city's farm output", "占全市农业生产总值"),
    "city_university_projects": Bilingual(
        "Projects with Shanghai universities and institutes", "与上海高校科研院所合作项目"
    ),
    "city_university_benefit_yuan": Bilingual("Their direct economic benefit", "直接经济效益"),
    "city_footer": Bilingual(
        "Figures of Zhejiang's 2006 report on connecting with Shanghai, quoted ({id})",
        "浙江省 2006 年接轨上海工作报告中的数字，附原文（{id}）",
    ),
    "v_yuan": Bilingual("{n} billion yuan", "{n} 亿元"),
    "v_projects": Bilingual("{n} projects", "{n} 个"),
    "q_about": Bilingual("about {v}", "约 {v}"),
    "q_more_than": Bilingual("more than {v}", "逾 {v}"),
    "f_structure": Bilingual("Structure", "结构"),
    "f_accuracy": Bilingual("Position accuracy", "位置精度"),
    "f_confidence": Bilingual("Identification", "识别可信度"),
    "f_sources": Bilingual("Sources", "来源"),
    "v_unknown": Bilingual("unknown", "未知"),
    "v_unnamed": Bilingual("(unnamed)", "（无名称）"),
    "v_bridge": Bilingual("bridge", "桥梁"),
    "v_tunnel": Bilingual("tunnel", "隧道"),
    "v_over_water": Bilingual("over water", "跨水域"),
    "v_lanes_by_direction": Bilingual(
        "{total} ({a} + {b} by direction)", "{total}（分方向 {a} + {b}）"
    ),
    "v_lanes_two_way": Bilingual("{total} (both directions)", "{total}（双向合计）"),
    "v_lanes_per_line": Bilingual(
        "{total} ({per}: one figure per carriageway)", "{total}（各幅 {per}）"
    ),
    "v_grade": Bilingual("{grade} (grade I is the largest)", "{grade}（I级最大）"),
    "v_mm": Bilingual("{mm} mm", "{mm} 毫米"),
    "v_teu": Bilingual("{teu} TEU a year", "{teu} 标箱/年"),
    "v_metres": Bilingual("±{m} m", "±{m} 米"),
    "v_change": Bilingual("{year}: {before} → {after}", "{year}年：{before} → {after}"),
    "v_since": Bilingual("since {year}", "{year}年起"),
    "v_from": Bilingual("expected {year}", "预计{year}年"),
    "v_lanes_n": Bilingual("{n} lanes", "{n}车道"),
    "v_tracks_n": Bilingual("{n} tracks", "{n}股道"),
    "v_tracks_1": Bilingual("1 track", "1股道"),
    "v_lanes_1": Bilingual("1 lane", "1车道"),
    "v_berths_n": Bilingual("{n} berths", "{n}个泊位"),
    "popup_footer": Bilingual(
        "Interface {id} · {lat} N, {lon} E", "接口 {id} · 北纬 {lat}，东经 {lon}"
    ),
    "feature_footer": Bilingual("Feature {id}", "要素 {id}"),
    # --- the interface table: the planner's columns, then the engine's behind a switch
    "c_route": Bilingual("Route", "线路"),
    "c_ref": Bilingual("Route number", "编号"),
    "c_status": Bilingual("Status", "状态"),
    "c_year": Bilingual("Opened", "开通年份"),
    "c_size": Bilingual("Lanes, tracks or grade", "车道/股道/等级"),
    "c_neighbour": Bilingual("Neighbour", "相邻地区"),
    "c_layer": Bilingual("Layer", "图层"),
    "c_class": Bilingual("Class", "类别"),
    "c_structure": Bilingual("Structure", "结构"),
    "c_accuracy": Bilingual("Accuracy (m)", "精度（米）"),
    "c_confidence": Bilingual("Identification", "识别可信度"),
    "c_id": Bilingual("Interface id", "接口编号"),
    "c_b": Bilingual("Neighbour (as in the data)", "相邻地区（数据原文）"),
    "c_layer_key": Bilingual("Layer key", "图层代码"),
    "c_class_key": Bilingual("Class key", "类别代码"),
    "c_status_key": Bilingual("Status key", "状态代码"),
    "c_ref_raw": Bilingual("ref (as in the data)", "编号（数据原文）"),
    "c_name": Bilingual("name (as in the data)", "名称（数据原文）"),
    "c_carriageways": Bilingual("Lines", "线数"),
    "c_lanes": Bilingual("Lanes (sum)", "车道（合计）"),
    "c_lanes_per_carriageway": Bilingual("Lanes per line", "各线车道"),
    "c_capacity": Bilingual("Capacity", "通行能力"),
    "c_capacity_unit": Bilingual("Capacity unit", "能力单位"),
    "c_bridge": Bilingual("Bridge", "桥梁"),
    "c_tunnel": Bilingual("Tunnel", "隧道"),
    "c_via": Bilingual("Reached by", "经由"),
    "c_lon": Bilingual("Longitude", "经度"),
    "c_lat": Bilingual("Latitude", "纬度"),
    "c_source_ids": Bilingual("Features", "要素"),
    "selected_interface": Bilingual("Selected interface", "所选接口"),
    "engine_fields": Bilingual("Show engine fields", "显示计算字段"),
    "engine_fields_help": Bilingual(
        "Add the fields the counting works with: the interface's id, its lines and their "
        "lanes, the raw capacity and unit, bridge and tunnel, coordinates and feature ids.",
        "加入计数所用的字段：接口编号、线数及各线车道、原始能力值与单位、桥梁与隧道、坐标及要素编号。",
    ),
    # --- downloads
    "export": Bilingual("Export", "导出"),
    "download_zip": Bilingual("Everything, with QGIS styles (ZIP)", "全部文件及QGIS样式（ZIP）"),
    "download_gpkg": Bilingual("Everything shown (GeoPackage)", "全部内容（GeoPackage）"),
    "download_layer": Bilingual("{layer} (GeoJSON)", "{layer_zh}（GeoJSON）"),
    "download_interfaces": Bilingual("Interfaces (GeoJSON)", "接口（GeoJSON）"),
    "download_counts": Bilingual("Counts (CSV)", "统计（CSV）"),
    "download_history": Bilingual("History of the links (CSV)", "连接变化历程（CSV）"),
    "export_caption": Bilingual(
        "What the page shows of this border, {caption}: its links (those with an interface "
        "on it), its interfaces, their history year by year and the counts, in WGS84; the "
        "other links shown are a faint context layer. The ZIP holds each GeoJSON with its "
        "QGIS style (.qml) beside it and the GeoPackage, whose layers open styled and "
        "labelled in QGIS; column titles in Chinese and English are in its columns file. "
        "Each file names its year and basis, and carries them in its rows.",
        "本页所示该边界的内容（{caption_zh}）：跨越该边界（在其上有接口）的连接、接口、逐年变化历程及统计，"
        "WGS84坐标；所示的其他连接作为浅色背景图层。ZIP包含每个GeoJSON及其旁的QGIS样式文件（.qml）"
        "和GeoPackage，在QGIS中打开即带样式和标注；各列的中英文标题见其中的列说明文件。"
        "每个文件名及其各行均注明年份与口径。",
    ),
    # --- the link to the view (app.share_view) and the map as a sheet (app.print_view)
    "link_notes": Bilingual(
        "This page was opened from a link; values it does not offer were left out:",
        "本页由链接打开，以下参数在此不可用，已忽略：",
    ),
    "link_long": Bilingual("{param}: longer than {limit} characters", "{param}：超过{limit}个字符"),
    "link_many": Bilingual("{param}: more than {limit} items", "{param}：超过{limit}项"),
    "link_unknown": Bilingual(
        "{param}: “{value}” is not among the page's choices", "{param}：“{value}”不在可选范围内"
    ),
    "link_region_ambiguous": Bilingual(
        "{param}: “{value}” names more than one region ({names}); give its full name",
        "{param}：“{value}”可指多个地区（{names}），请给出全称",
    ),
    "link_region_near": Bilingual(
        "{param}: no region is called “{value}”; did you mean {names}?",
        "{param}：没有名为“{value}”的地区；是否指{names}？",
    ),
    "link_year": Bilingual(
        "{param}: “{value}” is not a year from {first} to {last}",
        "{param}：“{value}”不是{first}年至{last}年之间的年份",
    ),
    "link_view": Bilingual(
        "lat, lon, z: “{value}” is not a map view (latitude −90 to 90, longitude −180 to 180, "
        "zoom {low} to {high}); the map opens on the border",
        "lat、lon、z：“{value}”不是有效的地图视图（纬度−90至90，经度−180至180，缩放级别{low}至"
        "{high}），地图按边界显示",
    ),
    "link_datum_embedded": Bilingual(
        "{param}: “{value}” is the datum of one's own files; the source shown is an embedded "
        "dataset, which has no datum to choose",
        "{param}：“{value}”是用户自有文件的坐标系，所示数据源为内置数据集，无需选择坐标系",
    ),
    "link_interface": Bilingual(
        "{param}: “{value}” is not an interface of the border shown",
        "{param}：“{value}”不是所示边界的接口",
    ),
    "share_print": Bilingual("Share and print this map", "分享与打印本地图"),
    "share_link": Bilingual(
        "Link to this view: the data (and the datum of one's own files), border, layers, year, "
        "basis, language, map view and the interface selected. Whoever opens it sees the same.",
        "本视图的链接，包含数据（及自有文件的坐标系）、边界、图层、年份、口径、语言、地图视图和所选接口；"
        "打开链接即可看到相同视图。",
    ),
    "share_no_source": Bilingual(
        "The link does not name this source (an uploaded file, or a file given by its path): "
        "it opens the embedded dataset instead.",
        "链接不包含此数据源（上传的文件或以路径指定的文件），打开时将显示内置数据集。",
    ),
    "copy_link": Bilingual("Copy link", "复制链接"),
    "copied": Bilingual("Copied.", "已复制。"),
    "copy_by_hand": Bilingual(
        "This browser does not let the page copy; select the link above and copy it.",
        "此浏览器不允许网页复制，请选中上方链接后复制。",
    ),
    "map_html": Bilingual("Map as HTML (opens offline)", "地图 HTML（可离线打开）"),
    "map_png": Bilingual("Map as PNG", "地图 PNG"),
    "map_pdf": Bilingual("Map as PDF", "地图 PDF"),
    "print_make": Bilingual("Make PNG and PDF", "生成 PNG 和 PDF"),
    "print_caption": Bilingual(
        "The map as it is now, on an A4 landscape sheet: title, border, year and basis, "
        "legend, scale bar, north arrow, attribution and date. Basemap tiles are left out.",
        "当前地图，A4横向版面：标题、边界、年份与口径、图例、比例尺、指北针、数据来源及日期。不含底图瓦片。",
    ),
    "print_stale": Bilingual(
        "The map has changed since the PNG and PDF were made; make them again.",
        "生成 PNG 和 PDF 后地图已改变，请重新生成。",
    ),
    "print_no_chromium": Bilingual(
        "PNG and PDF need Chromium on the server, which is not installed here; the HTML map "
        "works without it.",
        "生成 PNG 和 PDF 需要服务器上安装 Chromium，此处未安装；HTML 地图不需要它。",
    ),
    "print_busy": Bilingual(
        "Another map is being drawn on this server; try again in a moment.",
        "服务器正在绘制另一幅地图，请稍后再试。",
    ),
    "print_timeout": Bilingual(
        "Drawing the map took longer than {seconds} s and was stopped; show fewer layers or a "
        "smaller area and try again.",
        "地图绘制超过{seconds}秒，已停止；请减少图层或缩小范围后重试。",
    ),
    "print_failed": Bilingual(
        "Chromium could not draw the map; try again.", "Chromium 未能绘制地图，请重试。"
    ),
    "sheet_title": Bilingual("Cross-border links: {pair}", "跨界交通与能源连接：{pair}"),
    "sheet_compare": Bilingual(
        "rings: what changed between {first} and {last}", "圆环：{first}年至{last}年间的变化"
    ),
    "sheet_data": Bilingual("Data: {attribution}", "数据：{attribution}"),
    "sheet_made": Bilingual("Made with Jiegui 接轨 on {date}", "接轨（Jiegui）制图，{date}"),
    "north": Bilingual("N", "北"),
}


def layer_text(name: str) -> Bilingual:
    """A layer's name in both languages (:data:`geo.labels.LAYER_LABELS`), to fill a text.

    Examples
    --------
    >>> say("download_layer", layer=layer_text("waterways"))
    'Inland waterways (GeoJSON)'
    """
    labels = LAYER_LABELS.get(name, {"en": name, "zh": name})
    return Bilingual(labels["en"], labels["zh"])


def say(key: str, /, **values: object) -> str:
    """The text ``key`` in the page's language, its placeholders filled with ``values``.

    A value given as a :class:`geo.text.Bilingual` fills ``{name}`` with its English and
    ``{name_zh}`` with its Chinese, so one call serves either language.

    Examples
    --------
    >>> say("report", year=2006)
    'Against the report (2006)'
    """
    return _filled(TEXT[key], current(), values)


def both(key: str, /, **values: object) -> str:
    """The text ``key`` in English and Chinese, side by side (for short labels).

    Examples
    --------
    >>> both("not_covered")
    'not covered 未覆盖'
    """
    return f"{_filled(TEXT[key], 'en', values)} {_filled(TEXT[key], 'zh', values)}"


def bilingual(key: str, /, **values: object) -> Bilingual:
    """The text ``key`` in both languages, its placeholders filled (for an error's message).

    Examples
    --------
    >>> bilingual("not_covered")
    Bilingual(en='not covered', zh='未覆盖')
    """
    return Bilingual(_filled(TEXT[key], "en", values), _filled(TEXT[key], "zh", values))


def both_of(text: Bilingual) -> str:
    """A bilingual text from the engine, both languages side by side.

    Examples
    --------
    >>> both_of(Bilingual("open", "已通车"))
    'open 已通车'
    """
    return f"{text.en} {text.zh}"


def one_of(text: Bilingual) -> str:
    """A bilingual text from the engine in the page's language."""
    return text.en if current() == "en" else text.zh


def error_text(exc: BaseException) -> str:
    """An error of the engine as the page shows it, in the page's language.

    A :class:`geo.errors.JieguiError` carries its sentence (problem and fix) in both
    languages (:meth:`geo.errors.JieguiError.text`); any other error is shown as it is.

    Examples
    --------
    >>> from app.language import use
    >>> from geo.errors import InputFileError
    >>> error = InputFileError(Bilingual("File 'a.osm' does not exist.", "找不到文件 'a.osm'。"))
    >>> use("zh"); error_text(error)
    "找不到文件 'a.osm'。"
    >>> use("en"); error_text(error)
    "File 'a.osm' does not exist."
    """
    if isinstance(exc, JieguiError):
        return exc.text(current())
    return str(exc)


def data_note(text: Bilingual) -> str:
    """A note of the engine's (a loader's or a count's warning) in the page's language.

    The engine writes every warning in both languages (``list[Bilingual]``: mypy holds it).
    """
    return one_of(text)


def _filled(text: Bilingual, lang: Language, values: dict[str, object]) -> str:
    """One language of ``text`` with ``values`` filled in (see :func:`say`)."""
    plain: dict[str, object] = {}
    for name, value in values.items():
        if isinstance(value, Bilingual):
            plain[name], plain[f"{name}_zh"] = value.en, value.zh
        else:
            plain[name] = plain[f"{name}_zh"] = value
    template = text.en if lang == "en" else text.zh
    return template.format(**plain)
