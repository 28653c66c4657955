<?php
$ext = strtolower(pathinfo($_FILES['img']['name'], PATHINFO_EXTENSION));
if (!in_array($ext, ['jpg', 'png'], true)) { exit('bad type'); }
move_uploaded_file($_FILES['img']['tmp_name'], __DIR__ . '/uploads/' . bin2hex(random_bytes(8)) . '.' . $ext);
?>
<form method="post" enctype="multipart/form-data"><input type="file" name="img"></form>
