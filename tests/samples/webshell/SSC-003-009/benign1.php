<?php
$input = filter_input_array(INPUT_POST);
$data = $_POST;
$name = $data['name'] ?? '';
echo htmlspecialchars($name);
