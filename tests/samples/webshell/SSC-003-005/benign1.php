<?php
$slug = preg_replace('/[^a-z0-9]+/', '-', strtolower($_POST['title']));
$clean = preg_replace_callback('/\{(\w+)\}/', function ($m) use ($vars) { return $vars[$m[1]] ?? ''; }, $tpl);
