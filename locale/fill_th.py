"""Fill locale/th/LC_MESSAGES/django.po from the Thai glossary below (run after makemessages).

Usage: python locale/fill_th.py  (then: python manage.py compilemessages)
Strings without an entry stay untranslated and are listed, so nothing is missed silently.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TH: dict[str, str | tuple[str, ...]] = {
    "Your comment": "ความคิดเห็นของคุณ",
    "Please write a comment.": "กรุณาเขียนความคิดเห็น",
    "Your stance": "จุดยืนของคุณ",
    "About": "เรื่องที่แสดงความเห็น",
    "The whole draft": "ทั้งร่าง",
    "Support": "เห็นด้วย",
    "Oppose": "ไม่เห็นด้วย",
    "Neutral": "เป็นกลาง",
    "Suggestion": "ข้อเสนอแนะ",
    "Published": "เผยแพร่แล้ว",
    "Awaiting review": "รอตรวจสอบ",
    "Hidden by a moderator": "ถูกซ่อนโดยผู้ดูแล",
    "Removed": "ถูกลบ",
    "Web": "เว็บไซต์",
    "Import": "นำเข้า",
    "Offline": "เวทีรับฟังความคิดเห็น",
    "name shown": "ชื่อที่แสดง",
    "comment": "ความคิดเห็น",
    "stance": "จุดยืน",
    "Deleted user": "ผู้ใช้ที่ลบบัญชีแล้ว",
    "Agree": "เห็นด้วย",
    "Disagree": "ไม่เห็นด้วย",
    "Pass": "ผ่าน",
    "This consultation has closed.": "การรับฟังความคิดเห็นนี้ปิดแล้ว",
    "This consultation is not open for comments yet.": "การรับฟังความคิดเห็นนี้ยังไม่เปิด",
    "A comment can be at most %(max)s characters (yours has %(n)s).": "ความคิดเห็นยาวได้ไม่เกิน %(max)s ตัวอักษร (ของคุณมี %(n)s ตัวอักษร)",
    "Choose a stance.": "กรุณาเลือกจุดยืน",
    "Unknown channel.": "ไม่รู้จักช่องทางนี้",
    "That section is not part of this draft.": "มาตรานี้ไม่ได้อยู่ในร่างนี้",
    "You can only reply within the same consultation.": "ตอบกลับได้เฉพาะในการรับฟังความคิดเห็นเดียวกัน",
    "This comment can no longer be replied to.": "ความคิดเห็นนี้ไม่สามารถตอบกลับได้แล้ว",
    "Replies can be nested at most three levels deep.": "ตอบกลับซ้อนกันได้ไม่เกินสามชั้น",
    "Unknown status.": "ไม่รู้จักสถานะนี้",
    "A vote is agree, disagree or pass.": "การลงคะแนนต้องเป็น เห็นด้วย ไม่เห็นด้วย หรือ ผ่าน",
    "This comment is not open for votes.": "ความคิดเห็นนี้ไม่เปิดให้ลงคะแนน",
    "Please sign in with a verified e-mail address.": "กรุณาเข้าสู่ระบบด้วยอีเมลที่ยืนยันแล้ว",
    "Please sign in with a verified e-mail address to take part.": "กรุณาเข้าสู่ระบบด้วยอีเมลที่ยืนยันแล้วเพื่อร่วมแสดงความคิดเห็น",
    "This consultation is not open for comments.": "การรับฟังความคิดเห็นนี้ไม่เปิดรับความคิดเห็น",
    "The comment you replied to no longer exists.": "ความคิดเห็นที่คุณตอบกลับไม่มีอยู่แล้ว",
    "Thank you. Your comment is published.": "ขอบคุณ ความคิดเห็นของคุณเผยแพร่แล้ว",
    "Thank you. Your comment will appear after review.": "ขอบคุณ ความคิดเห็นของคุณจะแสดงหลังการตรวจสอบ",
    "Voting is closed for this consultation.": "การลงคะแนนในการรับฟังความคิดเห็นนี้ปิดแล้ว",
    "display name": "ชื่อที่แสดง",
    "Participant %(id)s": "ผู้ร่วมแสดงความเห็น %(id)s",
    "Thai": "ไทย",
    "English": "อังกฤษ",
    "%(n)s day left": ("เหลืออีก %(n)s วัน",),
    "%(n)s hour left": ("เหลืออีก %(n)s ชั่วโมง",),
    "opens in %(n)s day": ("เปิดในอีก %(n)s วัน",),
    "opens today": "เปิดวันนี้",
    "Public Hearing": "รับฟังความคิดเห็น",
    "Skip to content": "ข้ามไปยังเนื้อหา",
    "Read draft laws. Say what you think. See what others said.": "อ่านร่างกฎหมาย แสดงความเห็น และดูว่าคนอื่นคิดอย่างไร",
    "Main": "เมนูหลัก",
    "Consultations": "การรับฟังความคิดเห็น",
    "Sign out": "ออกจากระบบ",
    "Sign in": "เข้าสู่ระบบ",
    "Sign up": "สมัครสมาชิก",
    "Language": "ภาษา",
    "Comments are the views of their authors. Moderation follows published rules.": "ความคิดเห็นเป็นของผู้เขียนแต่ละคน การกลั่นกรองเป็นไปตามกติกาที่เผยแพร่ไว้",
    "edited": "แก้ไขแล้ว",
    "Your vote on this comment": "คะแนนของคุณต่อความคิดเห็นนี้",
    "Reply": "ตอบกลับ",
    "Your reply": "คำตอบของคุณ",
    "Send reply": "ส่งคำตอบ",
    "This comment was hidden by a moderator.": "ความคิดเห็นนี้ถูกซ่อนโดยผู้ดูแล",
    "Reason": "เหตุผล",
    "This comment was removed.": "ความคิดเห็นนี้ถูกลบ",
    "Awaiting review.": "รอตรวจสอบ",
    "Breadcrumb": "เส้นทางนำทาง",
    "Open": "เปิดรับฟัง",
    "Shorter than 15 days because": "ระยะเวลาน้อยกว่า 15 วัน เนื่องจาก",
    "Summary": "สาระสำคัญ",
    "The draft in full": "ร่างฉบับเต็ม",
    "Sections of the draft": "มาตราในร่าง",
    "%(n)s comment": ("%(n)s ความคิดเห็น",),
    "Read and comment on this section": "อ่านและแสดงความเห็นต่อมาตรานี้",
    "Comments": "ความคิดเห็น",
    "Which comments": "เลือกความคิดเห็นที่จะแสดง",
    "All": "ทั้งหมด",
    "Add your comment": "แสดงความคิดเห็นของคุณ",
    "Plain text, up to 5,000 characters. Links become clickable. Be civil; do not post ID numbers or phone numbers.": "ข้อความธรรมดา ไม่เกิน 5,000 ตัวอักษร ลิงก์จะคลิกได้ โปรดใช้ถ้อยคำสุภาพ และอย่าเปิดเผยเลขบัตรประชาชนหรือเบอร์โทรศัพท์",
    "Publish comment": "ส่งความคิดเห็น",
    "with a verified e-mail address to comment and vote.": "ด้วยอีเมลที่ยืนยันแล้วเพื่อแสดงความคิดเห็นและลงคะแนน",
    "This consultation has closed. Comments are kept as the public record.": "การรับฟังความคิดเห็นนี้ปิดแล้ว ความคิดเห็นทั้งหมดเก็บไว้เป็นบันทึกสาธารณะ",
    "Comments open when the consultation opens.": "เปิดรับความคิดเห็นเมื่อถึงวันเริ่มรับฟัง",
    "Your comments awaiting review": "ความคิดเห็นของคุณที่รอตรวจสอบ",
    "Sort": "เรียงลำดับ",
    "No comments yet. Be the first.": "ยังไม่มีความคิดเห็น มาเป็นคนแรก",
    "More comments": "ความคิดเห็นเพิ่มเติม",
    "Your position on the draft": "จุดยืนของคุณต่อร่างนี้",
    "Find consultations": "ค้นหาการรับฟังความคิดเห็น",
    "Search": "ค้นหา",
    "Title, topic or agency": "ชื่อเรื่อง ประเด็น หรือหน่วยงาน",
    "Status": "สถานะ",
    "Any": "ทั้งหมด",
    "Agency": "หน่วยงาน",
    "Kind": "ประเภท",
    "Category": "หมวดหมู่",
    "Filter": "กรอง",
    "%(n)s consultation": ("%(n)s เรื่อง",),
    "No consultation matches. Try fewer filters.": "ไม่พบการรับฟังความคิดเห็นที่ตรงกัน ลองลดตัวกรอง",
    "Pages": "หน้า",
    "Previous": "ก่อนหน้า",
    "Next": "ถัดไป",
    "name (Thai)": "ชื่อ (ภาษาไทย)",
    "name (English)": "ชื่อ (ภาษาอังกฤษ)",
    "agency": "หน่วยงาน",
    "agencies": "หน่วยงาน",
    "Draft act": "ร่างกฎหมาย",
    "Subordinate regulation": "กฎหมายลำดับรอง",
    "Principles": "หลักการ",
    "Ex-post evaluation of a law": "ประเมินผลสัมฤทธิ์ของกฎหมาย",
    "Education": "การศึกษา",
    "Health": "สาธารณสุข",
    "Agriculture": "เกษตรกรรม",
    "Welfare": "สวัสดิการ",
    "Participation & transparency": "การมีส่วนร่วมและความโปร่งใส",
    "SMEs": "วิสาหกิจขนาดกลางและขนาดย่อม",
    "Other": "อื่น ๆ",
    "Draft": "ฉบับร่าง",
    "Upcoming": "เร็ว ๆ นี้",
    "Closed": "ปิดแล้ว",
    "title": "ชื่อเรื่อง",
    "summary": "สาระสำคัญ",
    "body": "เนื้อหา",
    "Rich text; cleaned on save.": "ข้อความจัดรูปแบบ ระบบทำความสะอาดเมื่อบันทึก",
    "language of the draft": "ภาษาของร่าง",
    "kind": "ประเภท",
    "category": "หมวดหมู่",
    "opens": "วันเปิดรับฟัง",
    "closes": "วันปิดรับฟัง",
    "reason for a period shorter than 15 days": "เหตุผลที่รับฟังน้อยกว่า 15 วัน",
    "published": "เผยแพร่",
    "source and attribution": "แหล่งที่มาและการอ้างอิง",
    "consultation": "การรับฟังความคิดเห็น",
    "consultations": "การรับฟังความคิดเห็น",
    "The closing date must be after the opening date.": "วันปิดต้องอยู่หลังวันเปิด",
    "A consultation shorter than %(days)s days needs a stated reason.": "การรับฟังความคิดเห็นที่สั้นกว่า %(days)s วันต้องระบุเหตุผล",
    "number": "เลขมาตรา",
    "e.g. 'Section 3' or 'มาตรา 3'": "เช่น 'มาตรา 3'",
    "heading": "หัวข้อ",
    "text": "ข้อความ",
    "Undecided": "ยังไม่ตัดสินใจ",
    "Choose support, oppose or undecided.": "กรุณาเลือก เห็นด้วย ไม่เห็นด้วย หรือ ยังไม่ตัดสินใจ",
    "This consultation is not open.": "การรับฟังความคิดเห็นนี้ไม่ได้เปิดอยู่",
    "No such consultation.": "ไม่พบการรับฟังความคิดเห็นนี้",
    "Newest": "ล่าสุด",
    "Most agreed": "เห็นด้วยมากที่สุด",
    "Most divisive": "เห็นต่างมากที่สุด",
    "Your position is recorded.": "บันทึกจุดยืนของคุณแล้ว",
    # analytics
    'Queued': 'รอคิว',
    'Running': 'กำลังวิเคราะห์',
    'Finished': 'เสร็จแล้ว',
    'Failed': 'ไม่สำเร็จ',
    'Started by an analyst': 'เริ่มโดยนักวิเคราะห์',
    'Started after new comments': 'เริ่มอัตโนมัติเมื่อมีความคิดเห็นใหม่',
    'Command line': 'บรรทัดคำสั่ง',
    'Theme %(id)s: %(label)s': 'ประเด็น %(id)s: %(label)s',
    'Not in any theme': 'ไม่อยู่ในประเด็นใด',
    'Campaign %(id)s': 'แคมเปญ %(id)s',
    'Comment %(id)s': 'ความคิดเห็น %(id)s',
    'No such analysis run.': 'ไม่พบรอบการวิเคราะห์นี้',
    'The number of themes must be between 1 and %(max)s.': 'จำนวนประเด็นต้องอยู่ระหว่าง 1 ถึง %(max)s',
    'The vote threshold must be at least 1.': 'เกณฑ์จำนวนการลงคะแนนต้องไม่น้อยกว่า 1',
    'An analysis of this consultation is already under way.': 'กำลังวิเคราะห์การรับฟังความคิดเห็นนี้อยู่แล้ว',
    'Line %(line)s: %(reason)s': 'บรรทัด %(line)s: %(reason)s',
    'A consultation with the slug %(slug)s already exists.': 'มีการรับฟังความคิดเห็นที่ใช้ชื่อย่อ %(slug)s อยู่แล้ว',
    'A new consultation needs a title (--title).': 'การรับฟังความคิดเห็นใหม่ต้องมีชื่อเรื่อง (--title)',
    'No agency with the slug %(slug)s.': 'ไม่พบหน่วยงานที่ใช้ชื่อย่อ %(slug)s',
    'The file holds no comments.': 'ไฟล์ไม่มีความคิดเห็น',
    'the external id %(id)s is also on line %(other)s.': 'รหัสภายนอก %(id)s ซ้ำกับบรรทัด %(other)s',
    'a comment with the external id %(id)s was already imported.': 'นำเข้าความคิดเห็นที่มีรหัสภายนอก %(id)s ไปแล้ว',
    'this draft has no section %(section)s.': 'ร่างนี้ไม่มีมาตรา %(section)s',
    "The analysis is for the agency's analysts and editors.": 'ผลการวิเคราะห์สำหรับนักวิเคราะห์และบรรณาธิการของหน่วยงานเท่านั้น',
    'The number of themes must be a whole number.': 'จำนวนประเด็นต้องเป็นจำนวนเต็ม',
    'Analysis run %(id)s is queued; this page shows its progress.': 'รอบการวิเคราะห์ %(id)s อยู่ในคิวแล้ว หน้านี้แสดงความคืบหน้า',
    'This run has no results.': 'รอบนี้ยังไม่มีผล',
    'Group %(letter)s': 'กลุ่ม %(letter)s',
    'What sets this group apart:': 'สิ่งที่ทำให้กลุ่มนี้ต่างจากกลุ่มอื่น:',
    '%(p)s%% agree': 'เห็นด้วย %(p)s%%',
    '%(p)s%% disagree': 'ไม่เห็นด้วย %(p)s%%',
    'What most people in every group agree on': 'สิ่งที่คนส่วนใหญ่ในทุกกลุ่มเห็นตรงกัน',
    'No comment has a majority in every group yet.': 'ยังไม่มีความคิดเห็นใดที่ได้เสียงข้างมากในทุกกลุ่ม',
    'You are in group %(letter)s: you voted most like the people in it. Your point is ringed on the map.': 'คุณอยู่ในกลุ่ม %(letter)s: คุณลงคะแนนคล้ายคนในกลุ่มนี้มากที่สุด จุดของคุณมีวงล้อมบนแผนที่',
    'Vote on %(n)s more comment to appear on the map.': 'ลงคะแนนอีก %(n)s ความคิดเห็นเพื่อให้ปรากฏบนแผนที่',
    'You have voted enough to be placed; the map is updated every few seconds while people vote.': 'คุณลงคะแนนครบแล้ว แผนที่จะปรับทุกไม่กี่วินาทีระหว่างที่มีผู้ลงคะแนน',
    'Sign in and vote on comments to see where you stand.': 'เข้าสู่ระบบและลงคะแนนความคิดเห็นเพื่อดูว่าคุณอยู่ตรงไหน',
    'Each dot is one of %(n)s participant who voted on at least %(m)s comments': 'แต่ละจุดคือผู้เข้าร่วม 1 ใน %(n)s คนที่ลงคะแนนอย่างน้อย %(m)s ความคิดเห็น',
    '%(shown)s drawn': 'แสดง %(shown)s จุด',
    'people who voted alike are close together. Outlines show the groups; small grey squares are comments.': 'คนที่ลงคะแนนคล้ายกันจะอยู่ใกล้กัน เส้นรอบแสดงกลุ่ม สี่เหลี่ยมเล็กสีเทาคือความคิดเห็น',
    'Updated': 'ปรับปรุงเมื่อ',
    'No opinion groups yet: they appear once people have voted on at least %(n)s comments each.': 'ยังไม่มีกลุ่มความคิดเห็น กลุ่มจะปรากฏเมื่อผู้คนลงคะแนนคนละอย่างน้อย %(n)s ความคิดเห็น',
    'Opinion map': 'แผนที่ความคิดเห็น',
    '%(n)s participant placed by how they voted': 'ผู้เข้าร่วม %(n)s คน วางตำแหน่งตามการลงคะแนน',
    'Group %(letter)s: %(size)s people.': 'กลุ่ม %(letter)s: %(size)s คน',
    'You are in group %(letter)s.': 'คุณอยู่ในกลุ่ม %(letter)s',
    'You': 'คุณ',
    'Map of themes': 'แผนที่ประเด็น',
    'Each circle is a theme; its area shows how many comments it has. Themes close together use similar words. The same themes are listed below.': 'แต่ละวงกลมคือประเด็น ขนาดแสดงจำนวนความคิดเห็น ประเด็นที่อยู่ใกล้กันใช้ถ้อยคำคล้ายกัน รายการประเด็นเดียวกันอยู่ด้านล่าง',
    'Analysis': 'การวิเคราะห์',
    'Run %(id)s': 'รอบที่ %(id)s',
    'Analysis runs': 'รอบการวิเคราะห์',
    'Run %(id)s is under way (%(stage)s).': 'รอบที่ %(id)s กำลังดำเนินการ (%(stage)s)',
    'Number of themes': 'จำนวนประเด็น',
    'empty: chosen from the data': 'เว้นว่าง: เลือกตามข้อมูล',
    'Analyse now': 'วิเคราะห์ตอนนี้',
    'Earlier runs': 'รอบก่อนหน้า',
    'Run': 'รอบ',
    'Started by': 'เริ่มโดย',
    'Finished %(when)s: %(c)s published comments, %(v)s votes by %(p)s people.': 'เสร็จเมื่อ %(when)s: ความคิดเห็นที่เผยแพร่ %(c)s รายการ การลงคะแนน %(v)s ครั้งจาก %(p)s คน',
    'Cite as': 'อ้างอิงว่า',
    'Parameters': 'ค่าที่ใช้',
    'themes': 'ประเด็น',
    'seed': 'ค่าสุ่มตั้งต้น',
    'votes needed to be grouped': 'จำนวนการลงคะแนนขั้นต่ำเพื่อจัดกลุ่ม',
    'Download CSV': 'ดาวน์โหลด CSV',
    'Download JSON': 'ดาวน์โหลด JSON',
    "One bar per day; select a bar to read that day's comments. The numbers are in the table below.": 'หนึ่งแท่งต่อวัน เลือกแท่งเพื่ออ่านความคิดเห็นของวันนั้น ตัวเลขอยู่ในตารางด้านล่าง',
    'Table': 'ตาราง',
    'Day': 'วัน',
    'Overall': 'ภาพรวม',
    'Stance of all comments': 'จุดยืนของความคิดเห็นทั้งหมด',
    'Comments by stance; the numbers are in the table below.': 'ความคิดเห็นแยกตามจุดยืน ตัวเลขอยู่ในตารางด้านล่าง',
    'By section': 'แยกตามมาตรา',
    'One bar per section, split by stance; the numbers are in the table below.': 'หนึ่งแท่งต่อมาตรา แบ่งตามจุดยืน ตัวเลขอยู่ในตารางด้านล่าง',
    'Themes': 'ประเด็น',
    '%(n)s theme found in the text of the comments.': 'พบ %(n)s ประเด็นในข้อความของความคิดเห็น',
    '(too short or no distinctive words).': '(สั้นเกินไปหรือไม่มีคำที่โดดเด่น)',
    'Size': 'ขนาด',
    'Themes by number of comments': 'ประเด็นตามจำนวนความคิดเห็น',
    'One bar per theme; the themes are described below.': 'หนึ่งแท่งต่อประเด็น รายละเอียดประเด็นอยู่ด้านล่าง',
    'Words': 'คำสำคัญ',
    'Campaigns': 'แคมเปญ',
    'Comments that are copies or near copies of one text (form letters) are counted together, so they inform without drowning the themes.': 'ความคิดเห็นที่คัดลอกหรือเกือบเหมือนข้อความเดียวกัน (จดหมายแบบฟอร์ม) นับรวมกัน เพื่อให้เห็นภาพโดยไม่กลบประเด็นอื่น',
    'Text (one copy)': 'ข้อความ (ตัวอย่างหนึ่งฉบับ)',
    'No campaigns: no group of three or more comments shares one text.': 'ไม่พบแคมเปญ: ไม่มีความคิดเห็นสามรายการขึ้นไปที่ใช้ข้อความเดียวกัน',
    'Opinion groups': 'กลุ่มความคิดเห็น',
    '%(n)s participant with at least %(m)s votes, placed by how they voted.': 'ผู้เข้าร่วม %(n)s คนที่ลงคะแนนอย่างน้อย %(m)s ครั้ง วางตำแหน่งตามการลงคะแนน',
    'Public opinion map': 'แผนที่ความคิดเห็นสาธารณะ',
    'No opinion groups: nobody voted on at least %(n)s comments.': 'ไม่มีกลุ่มความคิดเห็น: ยังไม่มีใครลงคะแนนครบ %(n)s ความคิดเห็น',
    'No analysis yet. Start one above.': 'ยังไม่มีการวิเคราะห์ เริ่มได้ที่ด้านบน',
    'People who vote alike on comments form groups. The map places everyone who voted enough; the lists show what sets each group apart and what all groups agree on.': 'คนที่ลงคะแนนความคิดเห็นคล้ายกันรวมเป็นกลุ่ม แผนที่แสดงทุกคนที่ลงคะแนนมากพอ รายการแสดงสิ่งที่ทำให้แต่ละกลุ่มต่างกันและสิ่งที่ทุกกลุ่มเห็นตรงกัน',
    'Full analysis for the agency': 'การวิเคราะห์ฉบับเต็มสำหรับหน่วยงาน',
    "See how people's votes form groups, and what every group agrees on.": 'ดูว่าการลงคะแนนของผู้คนรวมเป็นกลุ่มอย่างไร และทุกกลุ่มเห็นตรงกันเรื่องใด',
    'Comments over time': 'ความคิดเห็นตามช่วงเวลา',
    'Comments per day': 'ความคิดเห็นต่อวัน',
    'Stance by section of the draft': 'จุดยืนแยกตามมาตราของร่าง',
    'All %(n)s comment': 'ความคิดเห็นทั้งหมด %(n)s รายการ',
    '%(n)s comment is in no theme': '%(n)s ความคิดเห็นไม่อยู่ในประเด็นใด',
    '%(n)s person': '%(n)s คน',
    'Read and vote on the comments': 'อ่านและลงคะแนนความคิดเห็น',
    'No comments.': 'ไม่มีความคิดเห็น',
}

ENTRY = re.compile(r'^msgid ((?:".*"\n)+)(msgid_plural (?:".*"\n)+)?((?:msgstr.*\n(?:".*"\n)*)+)', re.M)


def _joined(quoted: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', quoted)).replace('\\"', '"')


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unfuzz(block: str) -> str:
    """msgmerge guesses a translation from a similar string and marks it fuzzy (compiled
    catalogues skip it); an entry the glossary translates is not a guess."""
    match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
    if "#, fuzzy" not in block or match is None or _joined(match.group(1)) not in TH:
        return block
    kept = []
    for line in block.split("\n"):
        if line.startswith("#|") or line == "#, fuzzy":
            continue
        kept.append(line.replace("#, fuzzy, ", "#, ", 1))
    return "\n".join(kept)


def main(path: Path) -> int:
    source = "\n\n".join(_unfuzz(b) for b in path.read_text(encoding="utf-8").split("\n\n"))
    missing: list[str] = []

    def fill(match: re.Match) -> str:
        msgid = _joined(match.group(1))
        plural = match.group(2)
        if not msgid:
            return match.group(0)
        value = TH.get(msgid)
        if value is None:
            missing.append(msgid)
            return match.group(0)
        head = f"msgid {match.group(1)}" + (plural or "")
        if plural:
            forms = value if isinstance(value, tuple) else (value,)
            return head + "".join(f"msgstr[{i}] {_quote(f)}\n" for i, f in enumerate(forms))
        return head + f"msgstr {_quote(value if isinstance(value, str) else value[0])}\n"

    filled = ENTRY.sub(fill, source)
    filled = filled.replace('"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"', '"Plural-Forms: nplurals=1; plural=0;\\n"')
    filled = re.sub(r"^#, fuzzy\n(?=msgid \"\"\nmsgstr \"\"\n\"Project)", "", filled, flags=re.M)
    path.write_text(filled, encoding="utf-8")
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(__file__).resolve().parent / "th" / "LC_MESSAGES" / "django.po"))
