<?php
$slug = str_replace(' ', '', 'create function');
$label = str_replace('_', ' ', 'base64_decode');
$id = str_replace('-', '', $uuid);
