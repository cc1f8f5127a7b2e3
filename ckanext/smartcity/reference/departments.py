"""The city's publishing departments and the six smart-city pillars (reference data).

``ckan smartcity init`` creates them as CKAN organizations (``department``
schema) and groups (``pillar`` schema). Names follow the structure of Da Nang
after the 2025 reorganisation: the Department of Finance took over Planning and
Investment, Agriculture and Environment merged, Science and Technology took
over Information and Communications, and the provincial statistics office
became a sub-department of the national statistics office.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Department", "Pillar", "DEPARTMENTS", "PILLARS"]


@dataclass(frozen=True)
class Department:
    """A publishing organisation of the city."""

    name: str            # CKAN slug
    code: str            # department_code: the short form used in the city's systems
    title_vi: str
    title_en: str
    level: str           # "city" or "commune"
    contact_email: str
    notes_vi: str = ""


@dataclass(frozen=True)
class Pillar:
    """A pillar of the smart-city programme."""

    name: str            # CKAN slug
    code: str            # pillar_code
    title_vi: str
    title_en: str
    notes_vi: str
    notes_en: str


DEPARTMENTS: tuple[Department, ...] = (
    Department("so-y-te", "SYT", "Sở Y tế", "Department of Health", "city",
               "syt@danang.gov.vn", "Cơ sở y tế, nhân lực y tế, hồ sơ sức khỏe điện tử."),
    Department("so-giao-duc-dao-tao", "SGDDT", "Sở Giáo dục và Đào tạo",
               "Department of Education and Training", "city", "sgddt@danang.gov.vn",
               "Trường, lớp, giáo viên, học sinh."),
    Department("so-nong-nghiep-moi-truong", "SNNMT", "Sở Nông nghiệp và Môi trường",
               "Department of Agriculture and Environment", "city", "snnmt@danang.gov.vn",
               "Đất đai, tài nguyên, môi trường, nông nghiệp."),
    Department("so-tai-chinh", "STC", "Sở Tài chính", "Department of Finance", "city",
               "stc@danang.gov.vn", "Đăng ký doanh nghiệp, đầu tư, ngân sách."),
    Department("so-xay-dung", "SXD", "Sở Xây dựng", "Department of Construction", "city",
               "sxd@danang.gov.vn", "Quy hoạch, xây dựng, giao thông vận tải."),
    Department("so-khoa-hoc-cong-nghe", "SKHCN", "Sở Khoa học và Công nghệ",
               "Department of Science and Technology", "city", "skhcn@danang.gov.vn",
               "Chuyển đổi số, đô thị thông minh, dữ liệu mở."),
    Department("so-noi-vu", "SNV", "Sở Nội vụ", "Department of Home Affairs", "city",
               "snv@danang.gov.vn", "Tổ chức bộ máy, lao động, việc làm."),
    Department("cong-an-thanh-pho", "CATP", "Công an thành phố Đà Nẵng",
               "Da Nang City Police", "city", "catp@danang.gov.vn",
               "Cư trú, dân cư (dữ liệu tổng hợp)."),
    Department("thong-ke-thanh-pho", "TK", "Chi cục Thống kê thành phố Đà Nẵng",
               "Da Nang City Statistics Office", "city", "thongke@danang.gov.vn",
               "Niên giám thống kê, điều tra thống kê."),
    Department("ubnd-phuong-hai-chau", "UBND-20242", "Ủy ban nhân dân phường Hải Châu",
               "Hai Chau Ward People's Committee", "commune", "haichau@danang.gov.vn",
               "Dữ liệu cấp phường."),
)

PILLARS: tuple[Pillar, ...] = (
    Pillar("quan-tri-thong-minh", "governance", "Quản trị thông minh", "Smart governance",
           "Chính quyền số, dịch vụ công trực tuyến, ngân sách và bộ máy hành chính.",
           "Digital government, online public services, budget and administration."),
    Pillar("kinh-te-thong-minh", "economy", "Kinh tế thông minh", "Smart economy",
           "Doanh nghiệp, đầu tư, lao động và các ngành kinh tế.",
           "Enterprises, investment, labour and economic sectors."),
    Pillar("cong-dan-thong-minh", "citizens", "Công dân thông minh", "Smart citizens",
           "Dân số, giáo dục, kỹ năng số của người dân.",
           "Population, education and citizens' digital skills."),
    Pillar("moi-truong-thong-minh", "environment", "Môi trường thông minh",
           "Smart environment",
           "Đất đai, tài nguyên, chất lượng môi trường và khí hậu.",
           "Land, natural resources, environmental quality and climate."),
    Pillar("giao-thong-thong-minh", "transport", "Giao thông thông minh", "Smart transport",
           "Giao thông công cộng, hạ tầng và an toàn giao thông.",
           "Public transport, infrastructure and road safety."),
    Pillar("cuoc-song-thong-minh", "living", "Cuộc sống thông minh", "Smart living",
           "Y tế, văn hóa, an ninh trật tự và chất lượng sống.",
           "Health, culture, public safety and quality of life."),
)
